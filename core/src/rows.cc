// Rows into structs: the mappings shared by the persistence parts (rows.h).
#include "rows.h"

#include <nlohmann/json.hpp>

#include "core/entry_point.h"
#include "core/store.h"

namespace core {
namespace {

SubmissionState state_from(std::string_view text) {
  if (text == "judging") return SubmissionState::Judging;
  if (text == "judged") return SubmissionState::Judged;
  return SubmissionState::Queued;
}

}  // namespace

std::optional<int64_t> opt_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int64_t>();
}

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str());
}

std::optional<double> opt_double(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<double>();
}

Verdict verdict_from(const pqxx::field& f) {
  if (auto verdict = domain::parse_verdict(f.c_str())) return *verdict;
  throw StoreError(std::string("unknown verdict '") + f.c_str() + "' in column " + f.name());
}

std::optional<Verdict> opt_verdict(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return verdict_from(f);
}

std::vector<std::string> json_strings(const pqxx::field& f) {
  if (f.is_null()) return {};
  return nlohmann::json::parse(f.c_str()).get<std::vector<std::string>>();
}

Contest contest_from(const pqxx::row& r) {
  Contest c;
  c.id = r[0].c_str();
  c.name = r[1].c_str();
  c.formal_name = r[2].c_str();
  c.start_ms = opt_int(r[3]);
  c.duration_ms = r[4].as<int64_t>();
  c.freeze_ms = opt_int(r[5]);
  c.penalty_minutes = r[6].as<int>();
  c.scoreboard_type = r[7].c_str();
  c.thawed_ms = opt_int(r[8]);
  c.finalized_ms = opt_int(r[9]);
  c.gold_medals = r[10].as<int>();
  c.silver_medals = r[11].as<int>();
  c.bronze_medals = r[12].as<int>();
  c.extra_bronze = r[13].as<int>();
  return c;
}

ScoreboardSubmission scoreboard_submission_from(const pqxx::row& r) {
  return {r[0].c_str(),      r[1].c_str(),       r[2].as<int64_t>(),
          opt_verdict(r[3]), r[4].as<int64_t>(), opt_double(r[5])};
}

Problem problem_from(const pqxx::row& r) {
  Problem p;
  p.contest_id = r[0].c_str();
  p.id = r[1].c_str();
  p.label = r[2].c_str();
  p.name = r[3].c_str();
  p.ordinal = r[4].as<int>();
  p.rgb = opt_text(r[5]);
  p.time_limit_ms = r[6].as<int>();
  p.memory_limit_kib = r[7].as<int64_t>();
  p.output_limit_kib = r[8].as<int64_t>();
  p.validation = r[9].c_str();
  p.validator_flags = r[10].c_str();
  p.test_count = r[11].as<int>();
  return p;
}

Team team_from(const pqxx::row& r) {
  return Team{r[0].c_str(), r[1].c_str(), r[2].c_str(), opt_text(r[3]), json_strings(r[4])};
}

Organization organization_from(const pqxx::row& r) {
  return Organization{r[0].c_str(), r[1].c_str(), opt_text(r[2]), opt_text(r[3])};
}

Group group_from(const pqxx::row& r) { return Group{r[0].c_str(), r[1].c_str()}; }

Language language_from(const pqxx::row& r) { return language_at(r, 0); }

RunInfo run_info_from(const pqxx::row& r) {
  RunInfo info;
  info.id = r[0].as<int64_t>();
  info.judgement_id = r[1].as<int64_t>();
  info.contest_id = r[2].c_str();
  info.team_id = r[3].c_str();
  info.judgement_current = r[4].as<bool>();
  info.time_ms = r[5].as<int64_t>();
  info.run = {r[6].as<int>(), r[7].as<int64_t>(), verdict_from(r[8]),
              r[9].as<int>(), r[10].as<int>(),    r[11].as<int64_t>()};
  info.run.judge_message = r[12].c_str();
  return info;
}

User user_from(const pqxx::row& r) {
  return User{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(),
              parse_role(r[3].c_str()).value_or(Role::Team), opt_text(r[4])};
}

Language language_at(const pqxx::row& r, int first) {
  auto col = [&](int i) { return r[first + i]; };
  Language l{col(0).c_str(),       col(1).c_str(),       json_strings(col(2)), col(3).c_str(),
             json_strings(col(4)), json_strings(col(5)), col(6).as<bool>()};
  // An unknown kind (a CHECK keeps them out) is treated as none.
  l.entry_kind = parse_entry_kind(col(7).c_str()).value_or(EntryKind::None);
  l.version_argv = json_strings(col(8));
  l.selftest_source = col(9).c_str();
  return l;
}

Submission submission_from(const pqxx::row& r) {
  Submission s;
  s.id = r[0].as<int64_t>();
  s.contest_id = r[1].c_str();
  s.team_id = r[2].c_str();
  s.problem_id = r[3].c_str();
  s.language_id = r[4].c_str();
  s.source = pqxx::binarystring(r[5]).str();
  s.submitted_ms = r[6].as<int64_t>();
  s.state = state_from(r[7].c_str());
  s.attempt = r[8].as<int>();
  s.filename = opt_text(r[9]);
  s.entry_point = opt_text(r[10]);
  return s;
}

Judgement judgement_from(const pqxx::row& r) {
  Judgement j;
  j.id = r[0].as<int64_t>();
  j.submission_id = r[1].as<int64_t>();
  j.contest_id = r[2].c_str();
  j.attempt = r[3].as<int>();
  j.verdict = verdict_from(r[4]);
  j.is_current = r[5].as<bool>();
  j.is_manual = r[6].as<bool>();
  j.judged_by = r[7].c_str();
  j.start_ms = r[8].as<int64_t>();
  j.end_ms = r[9].as<int64_t>();
  if (!r[10].is_null()) j.max_run_time_ms = r[10].as<int>();
  j.compile_output = r[11].c_str();
  j.score = opt_double(r[12]);
  return j;
}

}  // namespace core
