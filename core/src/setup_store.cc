// SetupStore: contest setup writes (setup_store.h). Problems are stored with their test data
// (content-addressed blobs), validator sources, scoring groups and jury submissions.
#include "core/setup_store.h"

#include "core/clics.h"
#include "event_emit.h"
#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"upsert_contest",
     "INSERT INTO contests (id, name, formal_name, start_time, duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type) VALUES ($1, $2, $3, to_timestamp($4::double precision / "
     "1000), $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET name = excluded.name, formal_name = "
     "excluded.formal_name, start_time = excluded.start_time, duration_ms = excluded.duration_ms, "
     "freeze_ms = excluded.freeze_ms, penalty_minutes = excluded.penalty_minutes, "
     "scoreboard_type = excluded.scoreboard_type"},
    {"insert_contest",
     "INSERT INTO contests (id, name, formal_name, start_time, duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type) VALUES ($1, $2, $3, to_timestamp($4::double precision / "
     "1000), $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING"},
    {"update_contest_settings",
     "UPDATE contests SET name = $2, formal_name = $3, duration_ms = $4, freeze_ms = $5, "
     "penalty_minutes = $6, scoreboard_type = $7, gold_medals = $8, silver_medals = $9, "
     "bronze_medals = $10, extra_bronze = $11 WHERE id = $1"},
    {"set_contest_thaw",
     "UPDATE contests SET thawed_at = to_timestamp($2::double precision / 1000) WHERE id = $1"},
    // Guarded: only a contest that has not started at $3 and has no thaw set.
    {"set_contest_start",
     "UPDATE contests SET start_time = to_timestamp($2::double precision / 1000) WHERE id = $1 "
     "AND (start_time IS NULL OR start_time > to_timestamp($3::double precision / 1000)) "
     "AND thawed_at IS NULL"},
    // Guarded: ended at $2, not finalized, nothing left to judge, no current judgement JE, every
    // team's question answered (a jury message replying to it). $3: B, the extra bronze medals.
    {"set_contest_finalized",
     "UPDATE contests c SET finalized_at = to_timestamp($2::double precision / 1000), "
     "extra_bronze = coalesce($3::integer, extra_bronze) "
     "WHERE id = $1 AND finalized_at IS NULL AND start_time IS NOT NULL AND start_time + "
     "duration_ms * interval '1 millisecond' <= to_timestamp($2::double precision / 1000) "
     "AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.contest_id = c.id AND "
     "s.state <> 'judged') AND NOT EXISTS (SELECT 1 FROM submissions s JOIN judgements j ON "
     "j.submission_id = s.id AND j.is_current WHERE s.contest_id = c.id AND j.verdict = 'JE') "
     "AND NOT EXISTS (SELECT 1 FROM clarifications q WHERE "
     "q.contest_id = c.id AND q.from_team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
     "clarifications a WHERE a.contest_id = q.contest_id AND a.reply_to_id = q.id AND "
     "a.from_team_id IS NULL))"},
    {"contest_exists", "SELECT 1 FROM contests WHERE id = $1"},
    // In contest id order: the order every writer takes several contests' event locks in.
    {"team_contests", "SELECT contest_id FROM contest_teams WHERE team_id = $1 ORDER BY contest_id"},
    {"upsert_team",
     "INSERT INTO teams (id, name, display_name) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE "
     "SET name = excluded.name, display_name = excluded.display_name"},
    {"insert_team",
     "INSERT INTO teams (id, name, display_name, organization_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (id) DO NOTHING"},
    {"insert_team_group", "INSERT INTO team_groups (team_id, group_id) VALUES ($1, $2)"},
    {"add_team_to_contest",
     "INSERT INTO contest_teams (contest_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"},
    {"insert_organization",
     "INSERT INTO organizations (id, name, formal_name, country) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (id) DO NOTHING"},
    {"insert_group", "INSERT INTO groups (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING"},
    {"upsert_problem",
     "INSERT INTO problems (contest_id, id, label, name, ordinal, rgb, time_limit_ms, "
     "memory_limit_kib, output_limit_kib, validation, validator_flags) VALUES ($1, $2, $3, $4, $5, "
     "$6, $7, $8, $9, $10, $11) ON CONFLICT (contest_id, id) DO UPDATE SET label = excluded.label, "
     "name = excluded.name, ordinal = excluded.ordinal, rgb = excluded.rgb, time_limit_ms = "
     "excluded.time_limit_ms, memory_limit_kib = excluded.memory_limit_kib, output_limit_kib = "
     "excluded.output_limit_kib, validation = excluded.validation, validator_flags = "
     "excluded.validator_flags"},
    {"insert_problem",
     "INSERT INTO problems (contest_id, id, label, name, ordinal, rgb, time_limit_ms, "
     "memory_limit_kib, output_limit_kib, validation, validator_flags) VALUES ($1, $2, $3, $4, $5, "
     "$6, $7, $8, $9, $10, $11) ON CONFLICT (contest_id, id) DO NOTHING"},
    {"insert_setup_user",
     "INSERT INTO users (username, password_hash, role, team_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (username) DO NOTHING"},
    {"insert_blob", "INSERT INTO blobs (sha256, data) VALUES ($1, $2) ON CONFLICT DO NOTHING"},
    {"upsert_testcase",
     "INSERT INTO testcases (contest_id, problem_id, ordinal, is_sample, input_sha, answer_sha, "
     "group_ordinal) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contest_id, problem_id, "
     "ordinal) DO UPDATE SET is_sample = excluded.is_sample, input_sha = excluded.input_sha, "
     "answer_sha = excluded.answer_sha, group_ordinal = excluded.group_ordinal"},
    {"trim_testcases",
     "DELETE FROM testcases WHERE contest_id = $1 AND problem_id = $2 AND ordinal > $3"},
    {"delete_validator_files",
     "DELETE FROM problem_validator_files WHERE contest_id = $1 AND problem_id = $2"},
    {"insert_validator_file",
     "INSERT INTO problem_validator_files (contest_id, problem_id, name, sha256) "
     "VALUES ($1, $2, $3, $4)"},
    // Scored problems and jury submissions (migration 0009).
    {"delete_problem_groups",
     "DELETE FROM problem_groups WHERE contest_id = $1 AND problem_id = $2"},
    {"insert_problem_group",
     "INSERT INTO problem_groups (contest_id, problem_id, ordinal, name, points, on_reject) "
     "VALUES ($1, $2, $3, $4, $5, $6)"},
    {"insert_jury_team",
     "INSERT INTO teams (id, name) VALUES ($1, 'Jury submissions') ON CONFLICT (id) DO NOTHING"},
    {"insert_jury_submission",
     "INSERT INTO submissions (contest_id, team_id, problem_id, language_id, source, filename, "
     "is_jury) VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id, " MS("submitted_at")},
    {"insert_jury_expectation",
     "INSERT INTO jury_submissions (submission_id, contest_id, problem_id, path, expected_verdict) "
     "VALUES ($1, $2, $3, $4, $5)"},
};
// clang-format on

void write_groups(pqxx::work& w, const NewProblem& n) {
  const Problem& p = n.problem;
  w.exec_prepared("delete_problem_groups", p.contest_id, p.id);
  for (const auto& g : n.groups)
    w.exec_prepared("insert_problem_group", p.contest_id, p.id, g.ordinal, g.name,
                    *score_text(g.points), g.continue_on_reject ? "continue" : "break");
}

// Each one is a queued submission of the hidden jury team, with its expected verdict beside it.
// Its submission event belongs to that team, so only the jury's feed carries it.
void write_jury_submissions(pqxx::work& w, const NewProblem& n) {
  if (n.jury_submissions.empty()) return;
  const Problem& p = n.problem;
  w.exec_prepared("insert_jury_team", kJuryTeamId);
  auto contest = read_contest(w, p.contest_id);
  for (const auto& js : n.jury_submissions) {
    auto row =
        w.exec_prepared1("insert_jury_submission", p.contest_id, kJuryTeamId, p.id, js.language_id,
                         pqxx::binarystring(js.source), js.path.substr(js.path.rfind('/') + 1));
    Submission s{row[0].as<int64_t>(),
                 p.contest_id,
                 kJuryTeamId,
                 p.id,
                 js.language_id,
                 js.source,
                 row[1].as<int64_t>(),
                 SubmissionState::Queued,
                 0};
    s.filename = js.path.substr(js.path.rfind('/') + 1);
    w.exec_prepared("insert_jury_expectation", s.id, p.contest_id, p.id, js.path,
                    to_string(js.expected_verdict));
    if (contest)
      emit(w, s.contest_id, "submissions", std::to_string(s.id), submission_json(s, *contest),
           s.team_id);
  }
}

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

// What comes with the problem row, and its event.
void write_problem_data(pqxx::work& w, const NewProblem& n) {
  write_tests(w, n);
  write_validator(w, n);
  emit_problem(w, n.problem.contest_id, n.problem.id);
}

// An id of the setup that the database already holds: rolls the whole setup back.
struct Taken {
  std::string what;
};

void write_setup(pqxx::work& w, const ContestSetup& s) {
  const Contest& c = s.contest;
  auto start = opt_number(c.start_ms), freeze = opt_number(c.freeze_ms);
  if (w.exec_prepared("insert_contest", c.id, c.name, c.formal_name, nullable(start), c.duration_ms,
                      nullable(freeze), c.penalty_minutes, c.scoreboard_type)
          .affected_rows() != 1)
    throw Taken{"contest '" + c.id + "'"};
  emit_contest(w, c.id);
  for (const auto& o : s.organizations) {
    if (w.exec_prepared("insert_organization", o.id, o.name, nullable(o.formal_name),
                        nullable(o.country))
            .affected_rows() != 1)
      throw Taken{"organization '" + o.id + "'"};
    emit_everywhere(w, "organizations", o.id, organization_json(o));
  }
  for (const auto& g : s.groups) {
    if (w.exec_prepared("insert_group", g.id, g.name).affected_rows() != 1)
      throw Taken{"group '" + g.id + "'"};
    emit_everywhere(w, "groups", g.id, group_json(g));
  }
  for (const auto& t : s.teams) {
    std::optional<std::string> display;
    if (!t.display_name.empty()) display = t.display_name;
    if (w.exec_prepared("insert_team", t.id, t.name, nullable(display), nullable(t.organization_id))
            .affected_rows() != 1)
      throw Taken{"team '" + t.id + "'"};
    for (const auto& group_id : t.group_ids) w.exec_prepared("insert_team_group", t.id, group_id);
    w.exec_prepared("add_team_to_contest", c.id, t.id);
    emit_team(w, c.id, t.id);
  }
  for (const auto& n : s.problems) {
    const Problem& p = n.problem;
    w.exec_prepared("insert_problem", p.contest_id, p.id, p.label, p.name, p.ordinal,
                    nullable(p.rgb), p.time_limit_ms, p.memory_limit_kib, p.output_limit_kib,
                    p.validation, p.validator_flags);
    write_problem_data(w, n);
  }
  for (const auto& a : s.accounts) {
    if (w.exec_prepared("insert_setup_user", a.username, a.password_hash, to_string(a.role),
                        nullable(a.team_id))
            .affected_rows() != 1)
      throw Taken{"username '" + a.username + "'"};
  }
}

ContestUpdate unknown_or_conflict(pqxx::work& w, const std::string& contest_id) {
  return w.exec_prepared("contest_exists", contest_id).empty() ? ContestUpdate::UnknownContest
                                                               : ContestUpdate::Conflict;
}

}  // namespace

const Statements kSetupStatements = kStatements;

void SetupStore::upsert_contest(const Contest& c) {
  auto start = opt_number(c.start_ms), freeze = opt_number(c.freeze_ms);
  in_transaction(db_, "upsert_contest", [&](pqxx::work& w) {
    auto before = read_contest(w, c.id);
    w.exec_prepared("upsert_contest", c.id, c.name, c.formal_name, nullable(start), c.duration_ms,
                    nullable(freeze), c.penalty_minutes, c.scoreboard_type);
    emit_contest(w, c.id);
    if (before && before->start_ms != c.start_ms) emit_contest_times(w, c.id);
  });
}

void SetupStore::upsert_team(const Team& team) {
  in_transaction(db_, "upsert_team", [&](pqxx::work& w) {
    w.exec_prepared("upsert_team", team.id, team.name, team.display_name);
    // A renamed team is news in the feed of every contest it is in.
    for (const auto& row : w.exec_prepared("team_contests", team.id))
      emit_team(w, row[0].c_str(), team.id);
  });
}

void SetupStore::add_team_to_contest(const std::string& contest_id, const std::string& team_id) {
  in_transaction(db_, "add_team_to_contest", [&](pqxx::work& w) {
    w.exec_prepared("add_team_to_contest", contest_id, team_id);
    emit_team(w, contest_id, team_id);
  });
}

void SetupStore::replace_problem(const NewProblem& n) {
  const Problem& p = n.problem;
  in_transaction(db_, "replace_problem", [&](pqxx::work& w) {
    w.exec_prepared("upsert_problem", p.contest_id, p.id, p.label, p.name, p.ordinal,
                    nullable(p.rgb), p.time_limit_ms, p.memory_limit_kib, p.output_limit_kib,
                    p.validation, p.validator_flags);
    write_problem_data(w, n);
  });
}

// ON CONFLICT DO NOTHING affects no row when the key exists: that is the conflict signal, and
// it stays correct under concurrent creation (unlike a read-then-insert).
bool SetupStore::insert_contest(const Contest& c) {
  auto start = opt_number(c.start_ms), freeze = opt_number(c.freeze_ms);
  return in_transaction(db_, "insert_contest", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_contest", c.id, c.name, c.formal_name, nullable(start),
                        c.duration_ms, nullable(freeze), c.penalty_minutes, c.scoreboard_type)
            .affected_rows() != 1)
      return false;
    emit_contest(w, c.id);
    return true;
  });
}

bool SetupStore::insert_organization(const Organization& o) {
  return in_transaction(db_, "insert_organization", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_organization", o.id, o.name, nullable(o.formal_name),
                        nullable(o.country))
            .affected_rows() != 1)
      return false;
    emit_everywhere(w, "organizations", o.id, organization_json(o));
    return true;
  });
}

bool SetupStore::insert_group(const Group& g) {
  return in_transaction(db_, "insert_group", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_group", g.id, g.name).affected_rows() != 1) return false;
    emit_everywhere(w, "groups", g.id, group_json(g));
    return true;
  });
}

bool SetupStore::insert_team(const std::string& contest_id, const Team& t) {
  std::optional<std::string> display;
  if (!t.display_name.empty()) display = t.display_name;
  return in_transaction(db_, "insert_team", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_team", t.id, t.name, nullable(display), nullable(t.organization_id))
            .affected_rows() != 1)
      return false;
    for (const auto& group_id : t.group_ids) w.exec_prepared("insert_team_group", t.id, group_id);
    w.exec_prepared("add_team_to_contest", contest_id, t.id);
    emit_team(w, contest_id, t.id);
    return true;
  });
}

bool SetupStore::insert_problem(const NewProblem& n) {
  const Problem& p = n.problem;
  return in_transaction(db_, "insert_problem", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_problem", p.contest_id, p.id, p.label, p.name, p.ordinal,
                        nullable(p.rgb), p.time_limit_ms, p.memory_limit_kib, p.output_limit_kib,
                        p.validation, p.validator_flags)
            .affected_rows() != 1)
      return false;
    write_problem_data(w, n);
    return true;
  });
}

std::optional<std::string> SetupStore::insert_contest_setup(const ContestSetup& setup) {
  try {
    in_transaction(db_, "insert_contest_setup", [&](pqxx::work& w) { write_setup(w, setup); });
  } catch (const Taken& taken) {
    return taken.what;  // The transaction rolled back as the exception left it.
  }
  return std::nullopt;
}

bool SetupStore::update_contest_settings(const Contest& c) {
  auto freeze = opt_number(c.freeze_ms);
  return in_transaction(db_, "update_contest_settings", [&](pqxx::work& w) {
    if (w.exec_prepared("update_contest_settings", c.id, c.name, c.formal_name, c.duration_ms,
                        nullable(freeze), c.penalty_minutes, c.scoreboard_type, c.gold_medals,
                        c.silver_medals, c.bronze_medals, c.extra_bronze)
            .affected_rows() != 1)
      return false;
    emit_contest(w, c.id);
    return true;
  });
}

bool SetupStore::set_contest_thaw(const std::string& contest_id, int64_t thaw_ms) {
  return in_transaction(db_, "set_contest_thaw", [&](pqxx::work& w) {
    if (w.exec_prepared("set_contest_thaw", contest_id, thaw_ms).affected_rows() != 1) return false;
    emit_contest(w, contest_id);  // The feed learns of the thaw in the same transaction.
    return true;
  });
}

ContestUpdate SetupStore::set_contest_start(const std::string& contest_id,
                                            const std::optional<int64_t>& start_ms,
                                            int64_t now_ms) {
  auto start = opt_number(start_ms);
  return in_transaction(db_, "set_contest_start", [&](pqxx::work& w) {
    if (w.exec_prepared("set_contest_start", contest_id, nullable(start), now_ms).affected_rows() !=
        1) {
      return unknown_or_conflict(w, contest_id);
    }
    emit_contest(w, contest_id);  // The contest object with its new start, and the state.
    emit_contest_times(w, contest_id);
    return ContestUpdate::Updated;
  });
}

ContestUpdate SetupStore::set_contest_finalized(const std::string& contest_id, int64_t now_ms,
                                                std::optional<int> extra_bronze) {
  auto b = opt_number(extra_bronze ? std::optional<int64_t>(*extra_bronze) : std::nullopt);
  return in_transaction(db_, "set_contest_finalized", [&](pqxx::work& w) {
    if (w.exec_prepared("set_contest_finalized", contest_id, now_ms, nullable(b)).affected_rows() !=
        1) {
      return unknown_or_conflict(w, contest_id);
    }
    // CLICS announces finalization as a change of the state object.
    emit_contest(w, contest_id);
    return ContestUpdate::Updated;
  });
}

}  // namespace core
