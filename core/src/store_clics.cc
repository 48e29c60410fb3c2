// Store: what the CLICS API added on top of judging: run objects, and the jury's contest changes
// (start time, finalize). Statements are in kStatements (store.cc) like every other.
#include <nlohmann/json.hpp>

#include "core/store.h"
#include "core/timefmt.h"
#include "store_impl.h"

namespace core {
namespace {

RunInfo run_from(const pqxx::row& r) {
  RunInfo info;
  info.id = r[0].as<int64_t>();
  info.judgement_id = r[1].as<int64_t>();
  info.contest_id = r[2].c_str();
  info.team_id = r[3].c_str();
  info.judgement_current = r[4].as<bool>();
  info.time_ms = r[5].as<int64_t>();
  info.run = {r[6].as<int>(), r[7].as<int64_t>(), r[8].c_str(),
              r[9].as<int>(), r[10].as<int>(),    r[11].as<int64_t>()};
  info.run.judge_message = r[12].c_str();
  return info;
}

std::optional<std::string> opt_number(const std::optional<int64_t>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

ContestUpdate unknown_or_conflict(pqxx::work& w, const std::string& contest_id) {
  return w.exec_prepared("contest_exists", contest_id).empty() ? ContestUpdate::UnknownContest
                                                               : ContestUpdate::Conflict;
}

}  // namespace

std::vector<RunInfo> Store::runs(const std::string& contest_id,
                                 const std::optional<int64_t>& judgement_filter,
                                 const std::optional<std::string>& team_filter) {
  auto judgement = opt_number(judgement_filter);
  return in_transaction(*impl_, "runs", [&](pqxx::work& w) {
    std::vector<RunInfo> out;
    for (const auto& r :
         w.exec_prepared("contest_runs", contest_id, nullable(judgement), nullable(team_filter)))
      out.push_back(run_from(r));
    return out;
  });
}

std::optional<RunInfo> Store::run(int64_t run_id) {
  return in_transaction(*impl_, "run", [&](pqxx::work& w) -> std::optional<RunInfo> {
    auto rows = w.exec_prepared("run", run_id);
    if (rows.empty()) return std::nullopt;
    return run_from(rows[0]);
  });
}

ContestUpdate Store::set_contest_start(const std::string& contest_id,
                                       const std::optional<int64_t>& start_ms, int64_t now_ms) {
  auto start = opt_number(start_ms);
  return in_transaction(*impl_, "set_contest_start", [&](pqxx::work& w) {
    if (w.exec_prepared("set_contest_start", contest_id, nullable(start), now_ms).affected_rows() !=
        1) {
      return unknown_or_conflict(w, contest_id);
    }
    emit_contest(w, contest_id);  // The contest object with its new start, and the state.
    return ContestUpdate::Updated;
  });
}

int64_t Store::unjudged_submissions(const std::string& contest_id) {
  return in_transaction(*impl_, "unjudged_submissions", [&](pqxx::work& w) {
    return w.exec_prepared1("unjudged_submissions", contest_id)[0].as<int64_t>();
  });
}

ContestUpdate Store::set_contest_finalized(const std::string& contest_id, int64_t now_ms) {
  return in_transaction(*impl_, "set_contest_finalized", [&](pqxx::work& w) {
    if (w.exec_prepared("set_contest_finalized", contest_id, now_ms).affected_rows() != 1) {
      return unknown_or_conflict(w, contest_id);
    }
    // CLICS announces finalization as a change of the state object.
    emit_contest(w, contest_id);
    return ContestUpdate::Updated;
  });
}

}  // namespace core
