#include "core/clics.h"

#include <algorithm>

#include "core/entry_point.h"
#include "core/timefmt.h"

namespace core {
namespace {

constexpr double kMillisPerSecond = 1000.0;

// CLICS command object {command, args} from an argv, or null for none.
json command_json(const std::vector<std::string>& argv) {
  if (argv.empty()) return nullptr;
  std::string args;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (i > 1) args += ' ';
    args += argv[i];
  }
  json command = {{"command", argv.front()}};
  if (!args.empty()) command["args"] = args;
  return command;
}

json time_or_null(const std::optional<int64_t>& epoch_ms) {
  return epoch_ms ? json(format_time(*epoch_ms)) : json();
}

}  // namespace

json contest_reltime(int64_t epoch_ms, const Contest& contest) {
  return format_reltime(epoch_ms - contest.start_ms.value_or(epoch_ms));
}

const std::array<JudgementType, 8>& judgement_types() { return domain::verdicts(); }

const JudgementType* find_judgement_type(std::string_view id) {
  const auto& types = judgement_types();
  auto it = std::find_if(types.begin(), types.end(), [&](const auto& t) { return t.id == id; });
  return it == types.end() ? nullptr : &*it;
}

json api_information() {
  return {{"version", "2023-06"},
          {"version_url", "https://ccs-specs.icpc.io/2023-06/contest_api"},
          {"provider", {{"name", "contest-judge"}}}};
}

json contest_json(const Contest& contest) {
  json out = {
      {"id", contest.id},
      {"name", contest.name},
      {"formal_name", contest.formal_name.empty() ? contest.name : contest.formal_name},
      {"start_time", contest.start_ms ? json(format_time(*contest.start_ms)) : json()},
      {"duration", format_reltime(contest.duration_ms)},
      {"scoreboard_freeze_duration",
       contest.freeze_ms ? json(format_reltime(*contest.freeze_ms)) : json()},
      {"scoreboard_type", contest.scoreboard_type},
  };
  // CLICS: penalty_time is required for pass-fail and must be absent for score contests.
  if (contest.scoreboard_type == "pass-fail") out["penalty_time"] = contest.penalty_minutes;
  if (contest.thawed_ms) out["scoreboard_thaw_time"] = format_time(*contest.thawed_ms);
  // Ours: the medal counts of the awards (core/awards.h), B included.
  out["gold_medals"] = contest.gold_medals;
  out["silver_medals"] = contest.silver_medals;
  out["bronze_medals"] = contest.bronze_medals;
  out["extra_bronze"] = contest.extra_bronze;
  return out;
}

json award_json(const Award& award) {
  return {{"id", award.id}, {"citation", award.citation}, {"team_ids", award.team_ids}};
}

json problem_json(const Problem& problem) {
  json out = {{"id", problem.id},
              {"label", problem.label.empty() ? problem.id : problem.label},
              {"name", problem.name},
              {"ordinal", problem.ordinal},
              {"time_limit", problem.time_limit_ms / kMillisPerSecond},
              {"test_data_count", problem.test_count}};
  if (problem.rgb) out["rgb"] = *problem.rgb;
  return out;
}

json language_json(const Language& language) {
  json out = {{"id", language.id},
              {"name", language.name},
              {"entry_point_required", entry_point_required(language.entry_kind)},
              {"extensions", language.extensions},
              {"compiler", command_json(language.compile_argv)},
              {"runner", command_json(language.run_argv)}};
  // CLICS: entry_point_name only (and then always) when an entry point is required.
  if (auto name = entry_point_name(language.entry_kind)) out["entry_point_name"] = *name;
  return out;
}

json judgement_type_json(const JudgementType& type) {
  return {{"id", type.id}, {"name", type.name}, {"penalty", type.penalty}, {"solved", type.solved}};
}

json team_json(const Team& team) {
  return {{"id", team.id},
          {"name", team.name},
          {"label", team.id},
          {"display_name", team.display_name.empty() ? json() : json(team.display_name)},
          {"organization_id", team.organization_id ? json(*team.organization_id) : json()},
          {"group_ids", team.group_ids}};
}

json organization_json(const Organization& organization) {
  return {{"id", organization.id},
          {"name", organization.name},
          {"formal_name", organization.formal_name ? json(*organization.formal_name) : json()},
          {"country", organization.country ? json(*organization.country) : json()}};
}

json group_json(const Group& group) { return {{"id", group.id}, {"name", group.name}}; }

json account_json(const User& user) {
  const char* type = user.role == Role::Jury ? "judge" : to_string(user.role);
  return {{"id", user.username},
          {"username", user.username},
          {"name", user.username},
          {"type", type},
          {"team_id", user.team_id ? json(*user.team_id) : json()}};
}

std::string submission_path(const std::string& contest_id, int64_t submission_id) {
  return "contests/" + contest_id + "/submissions/" + std::to_string(submission_id);
}

json submission_json(const Submission& submission, const Contest& contest) {
  return {{"id", std::to_string(submission.id)},
          {"language_id", submission.language_id},
          {"problem_id", submission.problem_id},
          {"team_id", submission.team_id},
          {"time", format_time(submission.submitted_ms)},
          {"contest_time", contest_reltime(submission.submitted_ms, contest)},
          {"entry_point", submission.entry_point ? json(*submission.entry_point) : json()},
          {"files", json::array({{{"href", submission_path(contest.id, submission.id) + "/files"},
                                  {"mime", "application/zip"}}})},
          {"judging_state", to_string(submission.state)}};
}

json judgement_json(const Judgement& judgement, const Contest& contest) {
  // A judgement without a verdict is still running: CLICS wants all three "end" fields null.
  const bool finished = judgement.verdict.has_value();
  json out = {
      {"id", std::to_string(judgement.id)},
      {"submission_id", std::to_string(judgement.submission_id)},
      {"judgement_type_id", finished ? json(to_string(*judgement.verdict)) : json()},
      {"start_time", format_time(judgement.start_ms)},
      {"start_contest_time", contest_reltime(judgement.start_ms, contest)},
      {"end_time", finished ? json(format_time(judgement.end_ms)) : json()},
      {"end_contest_time", finished ? contest_reltime(judgement.end_ms, contest) : json()},
      {"max_run_time",
       judgement.max_run_time_ms ? json(*judgement.max_run_time_ms / kMillisPerSecond) : json()},
      {"current", judgement.is_current},
      // Ours, like current. Every caller's view is cut from this one (api/resources/clics_view.h).
      {"compile_output", judgement.compile_output},
  };
  if (judgement.score) out["score"] = *judgement.score;  // Scored problems only.
  return out;
}

std::string clarification_path(const std::string& contest_id, const std::string& id) {
  return "contests/" + contest_id + "/clarifications/" + id;
}

json clarification_json(const Clarification& c, const Contest& contest) {
  auto id_or_null = [](const std::optional<std::string>& id) { return id ? json(*id) : json(); };
  return {{"id", c.id},
          {"from_team_id", id_or_null(c.from_team_id)},
          {"to_team_id", id_or_null(c.to_team_id)},
          {"reply_to_id", id_or_null(c.reply_to_id)},
          {"problem_id", id_or_null(c.problem_id)},
          {"text", c.text},
          {"time", format_time(c.time_ms)},
          {"contest_time", contest_reltime(c.time_ms, contest)}};
}

json run_json(const RunInfo& run, const Contest& contest) {
  json out = {{"id", std::to_string(run.id)},
              {"judgement_id", std::to_string(run.judgement_id)},
              {"ordinal", run.run.ordinal},
              {"judgement_type_id", to_string(run.run.verdict)},
              {"time", format_time(run.time_ms)},
              {"contest_time", contest_reltime(run.time_ms, contest)},
              {"run_time", run.run.cpu_ms / kMillisPerSecond},
              {"memory_kib", run.run.memory_kib}};  // Ours (CLICS has no memory): peak, KiB.
  // Ours: a custom validator's judgemessage.txt, for the jury's view only.
  if (!run.run.judge_message.empty()) out["judge_message"] = run.run.judge_message;
  return out;
}

json state_json(const ContestState& state) {
  return {{"started", time_or_null(state.started)},
          {"frozen", time_or_null(state.frozen)},
          {"ended", time_or_null(state.ended)},
          {"thawed", time_or_null(state.thawed)},
          {"finalized", time_or_null(state.finalized)},
          {"end_of_updates", time_or_null(state.end_of_updates)}};
}

}  // namespace core
