// Store: setup writes used by judgectl and tests (teams, users, contests, problems).
#include "core/store.h"
#include "store_impl.h"

namespace core {

void Store::upsert_team(const Team& team) {
  in_transaction(*impl_, "upsert_team", [&](pqxx::work& w) {
    w.exec_prepared("upsert_team", team.id, team.name, team.display_name);
  });
}

void Store::add_team_to_contest(const std::string& contest_id, const std::string& team_id) {
  in_transaction(*impl_, "add_team_to_contest", [&](pqxx::work& w) {
    w.exec_prepared("add_team_to_contest", contest_id, team_id);
  });
}

void Store::upsert_user(const std::string& username, const std::string& password_hash, Role role,
                        const std::optional<std::string>& team_id) {
  in_transaction(*impl_, "upsert_user", [&](pqxx::work& w) {
    w.exec_prepared("upsert_user", username, password_hash, to_string(role), nullable(team_id));
  });
}

void Store::upsert_contest(const Contest& c) {
  std::optional<std::string> start, freeze;
  if (c.start_ms) start = std::to_string(*c.start_ms);
  if (c.freeze_ms) freeze = std::to_string(*c.freeze_ms);
  in_transaction(*impl_, "upsert_contest", [&](pqxx::work& w) {
    w.exec_prepared("upsert_contest", c.id, c.name, c.formal_name, nullable(start), c.duration_ms,
                    nullable(freeze), c.penalty_minutes, c.scoreboard_type);
  });
}

void Store::replace_problem(const NewProblem& n) {
  const Problem& p = n.problem;
  in_transaction(*impl_, "replace_problem", [&](pqxx::work& w) {
    w.exec_prepared("upsert_problem", p.contest_id, p.id, p.label, p.name, p.ordinal,
                    nullable(p.rgb), p.time_limit_ms, p.memory_limit_kib, p.output_limit_kib,
                    p.validation, p.validator_flags);
    int ordinal = 0;
    for (const auto& test : n.tests) {
      std::string in_sha = sha256_hex(test.input), ans_sha = sha256_hex(test.answer);
      w.exec_prepared("insert_blob", in_sha, pqxx::binarystring(test.input));
      w.exec_prepared("insert_blob", ans_sha, pqxx::binarystring(test.answer));
      w.exec_prepared("upsert_testcase", p.contest_id, p.id, ++ordinal, test.is_sample, in_sha,
                      ans_sha);
    }
    w.exec_prepared("trim_testcases", p.contest_id, p.id, ordinal);
  });
}

}  // namespace core
