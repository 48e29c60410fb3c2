// ProblemData: a problem's judging data (problem_data.h).
#include "core/problem_data.h"

#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"testcases",
     "SELECT id, ordinal, is_sample, input_sha, answer_sha, coalesce(group_ordinal, 0) "
     "FROM testcases WHERE contest_id = $1 AND problem_id = $2 ORDER BY ordinal"},
    {"blob", "SELECT data FROM blobs WHERE sha256 = $1"},
    {"validator_files",
     "SELECT v.name, b.data FROM problem_validator_files v JOIN blobs b ON b.sha256 = v.sha256 "
     "WHERE v.contest_id = $1 AND v.problem_id = $2 ORDER BY v.name"},
    // Scored problems (migration 0009).
    {"problem_groups",
     "SELECT ordinal, name, points, on_reject = 'continue' FROM problem_groups "
     "WHERE contest_id = $1 AND problem_id = $2 ORDER BY ordinal"},
};
// clang-format on

TestCase testcase_from(const pqxx::row& r) {
  return {r[0].as<int64_t>(), r[1].as<int>(), r[2].as<bool>(),
          r[3].c_str(),       r[4].c_str(),   r[5].as<int>()};
}

std::string blob_from(const pqxx::row& r) { return pqxx::binarystring(r[0]).str(); }

std::pair<std::string, std::string> validator_file_from(const pqxx::row& r) {
  return {r[0].c_str(), pqxx::binarystring(r[1]).str()};
}

TestGroup test_group_from(const pqxx::row& r) {
  return {r[2].as<double>(), r[3].as<bool>(), r[0].as<int>(), r[1].c_str()};
}

}  // namespace

const Statements kProblemDataStatements = kStatements;

std::vector<TestCase> ProblemData::testcases(const std::string& contest_id,
                                             const std::string& problem_id) {
  return in_read(db_, "testcases", [&](pqxx::transaction_base& w) {
    return read_rows(w.exec_prepared("testcases", contest_id, problem_id), testcase_from);
  });
}

std::optional<std::string> ProblemData::blob(const std::string& sha256) {
  return in_transaction(db_, "blob", [&](pqxx::work& w) {
    return read_first(w.exec_prepared("blob", sha256), blob_from);
  });
}

std::vector<std::pair<std::string, std::string>> ProblemData::validator_files(
    const std::string& contest_id, const std::string& problem_id) {
  return in_transaction(db_, "validator_files", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("validator_files", contest_id, problem_id),
                     validator_file_from);
  });
}

std::vector<TestGroup> ProblemData::problem_groups(const std::string& contest_id,
                                                   const std::string& problem_id) {
  return in_read(db_, "problem_groups", [&](pqxx::transaction_base& w) {
    return read_rows(w.exec_prepared("problem_groups", contest_id, problem_id), test_group_from);
  });
}

}  // namespace core
