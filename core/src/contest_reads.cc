// ContestReads: the contest objects and the scoreboard's inputs (contest_reads.h).
#include "core/contest_reads.h"

#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// "contests", "problems", "teams", "languages", "organizations" and "groups" also serve the
// event log, which appends these objects as this class reads them.
// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"contests",
     "SELECT id, name, coalesce(formal_name, name), " MS("start_time") ", duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type, " MS("thawed_at") ", " MS("finalized_at") ", gold_medals, "
     "silver_medals, bronze_medals, extra_bronze FROM contests "
     "WHERE ($1::text IS NULL OR id = $1) ORDER BY id"},
    {"contest_changes", "SELECT changes FROM contest_changes WHERE contest_id = $1"},
    {"contest_with_changes",
     "SELECT id, name, coalesce(formal_name, name), " MS("start_time") ", duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type, " MS("thawed_at") ", " MS("finalized_at") ", gold_medals, "
     "silver_medals, bronze_medals, extra_bronze, coalesce(("
     "SELECT changes FROM contest_changes x WHERE x.contest_id = c.id), 0) FROM contests c "
     "WHERE id = $1"},
    // No ORDER BY: compute_scoreboard() sorts anyway, and sorting 100,000 rows spilled to disk.
    {"scoreboard_submissions",
     "SELECT s.team_id, s.problem_id, " MS("s.submitted_at") ", j.verdict, s.id, j.score FROM "
     "submissions s LEFT JOIN judgements j ON j.submission_id = s.id AND j.is_current "
     "WHERE s.contest_id = $1 AND NOT s.is_jury"},
    {"problems",
     "SELECT p.contest_id, p.id, label, name, ordinal, rgb, time_limit_ms, memory_limit_kib, "
     "output_limit_kib, validation, validator_flags, (SELECT count(*) FROM testcases t WHERE "
     "t.contest_id = p.contest_id AND t.problem_id = p.id) FROM problems p WHERE contest_id = $1 "
     "AND ($2::text IS NULL OR id = $2) ORDER BY ordinal, id"},
    {"languages",
     "SELECT id, name, array_to_json(extensions)::text, source_file, array_to_json(compile_argv)::text, "
     "array_to_json(run_argv)::text, enabled, coalesce(entry_kind, ''), "
     "array_to_json(version_argv)::text, selftest_source FROM languages ORDER BY id"},
    {"teams",
     "SELECT t.id, t.name, coalesce(t.display_name, t.name), t.organization_id, (SELECT "
     "array_to_json(array_agg(g.group_id ORDER BY g.group_id))::text FROM team_groups g WHERE "
     "g.team_id = t.id) FROM teams t JOIN contest_teams ct ON ct.team_id = t.id "
     "WHERE ct.contest_id = $1 AND ($2::text IS NULL OR t.id = $2) ORDER BY t.id"},
    {"organizations",
     "SELECT id, name, formal_name, country FROM organizations WHERE ($1::text IS NULL OR id = $1) "
     "ORDER BY id"},
    {"groups", "SELECT id, name FROM groups WHERE ($1::text IS NULL OR id = $1) ORDER BY id"},
};
// clang-format on

std::pair<Contest, int64_t> contest_with_changes_from(const pqxx::row& r) {
  return {contest_from(r), r[14].as<int64_t>()};
}

}  // namespace

const Statements kContestReadStatements = kStatements;

std::optional<Contest> read_contest(pqxx::transaction_base& w, const std::string& contest_id) {
  return read_first(w.exec_prepared("contests", contest_id), contest_from);
}

std::vector<Contest> ContestReads::contests() {
  return in_transaction(db_, "contests", [](pqxx::work& w) {
    return read_rows(w.exec_prepared("contests", nullptr), contest_from);
  });
}

std::optional<Contest> ContestReads::contest(const std::string& contest_id) {
  return in_read(db_, "contest",
                 [&](pqxx::transaction_base& w) { return read_contest(w, contest_id); });
}

int64_t ContestReads::contest_changes(const std::string& contest_id) {
  return in_read(db_, "contest_changes", [&](pqxx::transaction_base& w) -> int64_t {
    auto rows = w.exec_prepared("contest_changes", contest_id);
    return rows.empty() ? 0 : rows[0][0].as<int64_t>();
  });
}

std::optional<std::pair<Contest, int64_t>> ContestReads::contest_with_changes(
    const std::string& contest_id) {
  return in_read(db_, "contest_with_changes", [&](pqxx::transaction_base& w) {
    return read_first(w.exec_prepared("contest_with_changes", contest_id),
                      contest_with_changes_from);
  });
}

std::vector<ScoreboardSubmission> ContestReads::scoreboard_submissions(
    const std::string& contest_id) {
  return in_transaction(db_, "scoreboard_submissions", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("scoreboard_submissions", contest_id),
                     scoreboard_submission_from);
  });
}

std::vector<Problem> ContestReads::problems(const std::string& contest_id) {
  return in_transaction(db_, "problems", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("problems", contest_id, nullptr), problem_from);
  });
}

std::optional<Problem> ContestReads::problem(const std::string& contest_id,
                                             const std::string& problem_id) {
  return in_read(db_, "problem", [&](pqxx::transaction_base& w) {
    return read_first(w.exec_prepared("problems", contest_id, problem_id), problem_from);
  });
}

std::vector<Language> ContestReads::languages() {
  return in_read(db_, "languages", [](pqxx::transaction_base& w) {
    return read_rows(w.exec_prepared("languages"), language_from);
  });
}

std::vector<Team> ContestReads::teams(const std::string& contest_id) {
  return in_transaction(db_, "teams", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("teams", contest_id, nullptr), team_from);
  });
}

std::optional<Team> ContestReads::team(const std::string& contest_id, const std::string& team_id) {
  return in_read(db_, "team", [&](pqxx::transaction_base& w) {
    return read_first(w.exec_prepared("teams", contest_id, team_id), team_from);
  });
}

std::vector<Organization> ContestReads::organizations() {
  return in_transaction(db_, "organizations", [](pqxx::work& w) {
    return read_rows(w.exec_prepared("organizations", nullptr), organization_from);
  });
}

std::optional<Organization> ContestReads::organization(const std::string& organization_id) {
  return in_transaction(db_, "organization", [&](pqxx::work& w) {
    return read_first(w.exec_prepared("organizations", organization_id), organization_from);
  });
}

std::vector<Group> ContestReads::groups() {
  return in_transaction(db_, "groups", [](pqxx::work& w) {
    return read_rows(w.exec_prepared("groups", nullptr), group_from);
  });
}

std::optional<Group> ContestReads::group(const std::string& group_id) {
  return in_transaction(db_, "group", [&](pqxx::work& w) {
    return read_first(w.exec_prepared("groups", group_id), group_from);
  });
}

}  // namespace core
