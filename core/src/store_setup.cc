// Store: setup writes: upserts for judgectl and tests, conflict-aware inserts for the API.
#include "core/clics.h"
#include "core/store.h"
#include "store_impl.h"

namespace core {
namespace {

// Stores the test data of a problem (content-addressed blobs) and drops surplus old test cases.
void write_tests(pqxx::work& w, const NewProblem& n) {
  const Problem& p = n.problem;
  write_groups(w, n);
  int ordinal = 0;
  for (const auto& test : n.tests) {
    std::string in_sha = sha256_hex(test.input), ans_sha = sha256_hex(test.answer);
    w.exec_prepared("insert_blob", in_sha, pqxx::binarystring(test.input));
    w.exec_prepared("insert_blob", ans_sha, pqxx::binarystring(test.answer));
    std::optional<std::string> group;
    if (test.group > 0) group = std::to_string(test.group);
    w.exec_prepared("upsert_testcase", p.contest_id, p.id, ++ordinal, test.is_sample, in_sha,
                    ans_sha, nullable(group));
  }
  w.exec_prepared("trim_testcases", p.contest_id, p.id, ordinal);
  write_jury_submissions(w, n);
}

// Replaces the problem's validator sources (content-addressed blobs too).
void write_validator(pqxx::work& w, const NewProblem& n) {
  const Problem& p = n.problem;
  w.exec_prepared("delete_validator_files", p.contest_id, p.id);
  for (const auto& [name, content] : n.validator_files) {
    std::string sha = sha256_hex(content);
    w.exec_prepared("insert_blob", sha, pqxx::binarystring(content));
    w.exec_prepared("insert_validator_file", p.contest_id, p.id, name, sha);
  }
}

std::optional<std::string> opt_number(const std::optional<int64_t>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

}  // namespace

void Store::upsert_team(const Team& team) {
  in_transaction(*impl_, "upsert_team", [&](pqxx::work& w) {
    w.exec_prepared("upsert_team", team.id, team.name, team.display_name);
  });
}

void Store::add_team_to_contest(const std::string& contest_id, const std::string& team_id) {
  in_transaction(*impl_, "add_team_to_contest", [&](pqxx::work& w) {
    w.exec_prepared("add_team_to_contest", contest_id, team_id);
    emit_team(w, contest_id, team_id);
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
    emit_contest(w, c.id);
  });
}

void Store::replace_problem(const NewProblem& n) {
  const Problem& p = n.problem;
  in_transaction(*impl_, "replace_problem", [&](pqxx::work& w) {
    w.exec_prepared("upsert_problem", p.contest_id, p.id, p.label, p.name, p.ordinal,
                    nullable(p.rgb), p.time_limit_ms, p.memory_limit_kib, p.output_limit_kib,
                    p.validation, p.validator_flags);
    write_tests(w, n);
    write_validator(w, n);
    emit_problem(w, p.contest_id, p.id);
  });
}

// ON CONFLICT DO NOTHING affects no row when the key exists: that is the conflict signal, and
// it stays correct under concurrent creation (unlike a read-then-insert).
bool Store::insert_user(const std::string& username, const std::string& password_hash, Role role,
                        const std::optional<std::string>& team_id) {
  return in_transaction(*impl_, "insert_user", [&](pqxx::work& w) {
    return w.exec_prepared("insert_user", username, password_hash, to_string(role),
                           nullable(team_id))
               .affected_rows() == 1;
  });
}

bool Store::insert_contest(const Contest& c) {
  auto start = opt_number(c.start_ms), freeze = opt_number(c.freeze_ms);
  return in_transaction(*impl_, "insert_contest", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_contest", c.id, c.name, c.formal_name, nullable(start),
                        c.duration_ms, nullable(freeze), c.penalty_minutes, c.scoreboard_type)
            .affected_rows() != 1)
      return false;
    emit_contest(w, c.id);
    return true;
  });
}

bool Store::insert_organization(const Organization& o) {
  return in_transaction(*impl_, "insert_organization", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_organization", o.id, o.name, nullable(o.formal_name),
                        nullable(o.country))
            .affected_rows() != 1)
      return false;
    emit_everywhere(w, "organizations", o.id, organization_json(o));
    return true;
  });
}

bool Store::insert_group(const Group& g) {
  return in_transaction(*impl_, "insert_group", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_group", g.id, g.name).affected_rows() != 1) return false;
    emit_everywhere(w, "groups", g.id, group_json(g));
    return true;
  });
}

bool Store::insert_team(const std::string& contest_id, const Team& t) {
  std::optional<std::string> display;
  if (!t.display_name.empty()) display = t.display_name;
  return in_transaction(*impl_, "insert_team", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_team", t.id, t.name, nullable(display), nullable(t.organization_id))
            .affected_rows() != 1)
      return false;
    for (const auto& group_id : t.group_ids) w.exec_prepared("insert_team_group", t.id, group_id);
    w.exec_prepared("add_team_to_contest", contest_id, t.id);
    emit_team(w, contest_id, t.id);
    return true;
  });
}

bool Store::insert_problem(const NewProblem& n) {
  const Problem& p = n.problem;
  return in_transaction(*impl_, "insert_problem", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_problem", p.contest_id, p.id, p.label, p.name, p.ordinal,
                        nullable(p.rgb), p.time_limit_ms, p.memory_limit_kib, p.output_limit_kib,
                        p.validation, p.validator_flags)
            .affected_rows() != 1)
      return false;
    write_tests(w, n);
    write_validator(w, n);
    emit_problem(w, p.contest_id, p.id);
    return true;
  });
}

}  // namespace core
