#include "serialize.h"

#include <algorithm>

#include "core/timefmt.h"

namespace api {
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

json contest_reltime(int64_t epoch_ms, const core::Contest& contest) {
  return core::format_reltime(epoch_ms - contest.start_ms.value_or(epoch_ms));
}

json time_or_null(const std::optional<int64_t>& epoch_ms) {
  return epoch_ms ? json(core::format_time(*epoch_ms)) : json();
}

// The scoreboard rows are written as text directly: through nlohmann::json objects a board of
// 1,000 teams x 15 problems took tens of milliseconds, and every new verdict needs a new board.
void append_string(std::string& out, std::string_view text) {
  bool plain = std::all_of(text.begin(), text.end(),
                           [](char c) { return c >= ' ' && c <= '~' && c != '"' && c != '\\'; });
  if (!plain) {
    out += json(text).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

void append_field(std::string& out, std::string_view name, int64_t value) {
  out += ",\"";
  out += name;
  out += "\":";
  out += std::to_string(value);
}

void append_field(std::string& out, std::string_view name, bool value) {
  out += ",\"";
  out += name;
  out += value ? "\":true" : "\":false";
}

void append_score(std::string& out, double score) {
  out += json(score).dump();  // nlohmann's number format, as in every other document.
}

// CLICS requires "time" exactly when the problem counts as solved (or scored above 0).
void append_cell(std::string& out, const core::ScoreboardCell& cell, bool score_contest) {
  out += "{\"problem_id\":";
  append_string(out, cell.problem_id);
  append_field(out, "num_judged", int64_t{cell.num_judged});
  append_field(out, "num_pending", int64_t{cell.num_pending});
  append_field(out, "first_to_solve", cell.first_to_solve);
  if (score_contest) {
    out += ",\"score\":";
    append_score(out, cell.score);
  } else {
    append_field(out, "solved", cell.solved);
  }
  if (cell.time_minutes && (cell.solved || cell.score > 0))
    append_field(out, "time", *cell.time_minutes);
  out += '}';
}

void append_row(std::string& out, const core::ScoreboardRow& row, bool score_contest) {
  out += "{\"rank\":";
  out += std::to_string(row.rank);
  out += ",\"team_id\":";
  append_string(out, row.team_id);
  if (score_contest) {
    out += ",\"score\":{\"score\":";
    append_score(out, row.score);
    if (row.last_ac_minutes) append_field(out, "time", *row.last_ac_minutes);
  } else {
    out += ",\"score\":{\"num_solved\":";
    out += std::to_string(row.num_solved);
    append_field(out, "total_time", row.total_time);
  }
  out += "},\"problems\":[";
  for (size_t i = 0; i < row.problems.size(); ++i) {
    if (i > 0) out += ',';
    append_cell(out, row.problems[i], score_contest);
  }
  out += "]}";
}

// The scoreboard.json fields besides the rows: they change with every request.
json scoreboard_now_json(const core::Contest& contest, const core::ContestState& state,
                         int64_t now_ms) {
  return {{"time", core::format_time(now_ms)},
          {"contest_time", contest_reltime(now_ms, contest)},
          {"state", state_json(state)}};
}

}  // namespace

const std::vector<JudgementType>& judgement_types() {
  static const std::vector<JudgementType> kTypes = {
      {"AC", "Accepted", false, true},
      {"WA", "Wrong Answer", true, false},
      {"TLE", "Time Limit Exceeded", true, false},
      {"RTE", "Run-Time Error", true, false},
      {"MLE", "Memory Limit Exceeded", true, false},
      {"OLE", "Output Limit Exceeded", true, false},
      {"CE", "Compiler Error", false, false},
      {"JE", "Judging Error", false, false},
  };
  return kTypes;
}

const JudgementType* find_judgement_type(std::string_view id) {
  const auto& types = judgement_types();
  auto it = std::find_if(types.begin(), types.end(), [&](const auto& t) { return t.id == id; });
  return it == types.end() ? nullptr : &*it;
}

std::string error_body(int status, std::string_view message) {
  return json{{"code", status}, {"message", message}}.dump(-1, ' ', false,
                                                           json::error_handler_t::replace);
}

std::string log_quote(std::string_view text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

json api_information() {
  return {{"version", "2023-06"},
          {"version_url", "https://ccs-specs.icpc.io/2023-06/contest_api"},
          {"provider", {{"name", "contest-judge"}}}};
}

json contest_json(const core::Contest& contest) {
  json out = {
      {"id", contest.id},
      {"name", contest.name},
      {"formal_name", contest.formal_name.empty() ? contest.name : contest.formal_name},
      {"start_time", contest.start_ms ? json(core::format_time(*contest.start_ms)) : json()},
      {"duration", core::format_reltime(contest.duration_ms)},
      {"scoreboard_freeze_duration",
       contest.freeze_ms ? json(core::format_reltime(*contest.freeze_ms)) : json()},
      {"scoreboard_type", contest.scoreboard_type},
  };
  // CLICS: penalty_time is required for pass-fail and must be absent for score contests.
  if (contest.scoreboard_type == "pass-fail") out["penalty_time"] = contest.penalty_minutes;
  if (contest.thawed_ms) out["scoreboard_thaw_time"] = core::format_time(*contest.thawed_ms);
  return out;
}

json problem_json(const core::Problem& problem) {
  json out = {{"id", problem.id},
              {"label", problem.label.empty() ? problem.id : problem.label},
              {"name", problem.name},
              {"ordinal", problem.ordinal},
              {"time_limit", problem.time_limit_ms / kMillisPerSecond},
              {"test_data_count", problem.test_count}};
  if (problem.rgb) out["rgb"] = *problem.rgb;
  return out;
}

json language_json(const core::Language& language) {
  return {{"id", language.id},
          {"name", language.name},
          {"entry_point_required", false},
          {"extensions", language.extensions},
          {"compiler", command_json(language.compile_argv)},
          {"runner", command_json(language.run_argv)}};
}

json judgement_type_json(const JudgementType& type) {
  return {{"id", type.id}, {"name", type.name}, {"penalty", type.penalty}, {"solved", type.solved}};
}

json team_json(const core::Team& team) {
  return {{"id", team.id},
          {"name", team.name},
          {"label", team.id},
          {"display_name", team.display_name.empty() ? json() : json(team.display_name)},
          {"organization_id", team.organization_id ? json(*team.organization_id) : json()},
          {"group_ids", team.group_ids}};
}

json organization_json(const core::Organization& organization) {
  return {{"id", organization.id},
          {"name", organization.name},
          {"formal_name", organization.formal_name ? json(*organization.formal_name) : json()},
          {"country", organization.country ? json(*organization.country) : json()}};
}

json group_json(const core::Group& group) { return {{"id", group.id}, {"name", group.name}}; }

json account_json(const core::User& user) {
  const char* type = user.role == core::Role::Jury ? "judge" : core::to_string(user.role);
  return {{"id", user.username},
          {"username", user.username},
          {"name", user.username},
          {"type", type},
          {"team_id", user.team_id ? json(*user.team_id) : json()}};
}

std::string submission_path(const std::string& contest_id, int64_t submission_id) {
  return "contests/" + contest_id + "/submissions/" + std::to_string(submission_id);
}

json submission_json(const core::Submission& submission, const core::Contest& contest) {
  return {{"id", std::to_string(submission.id)},
          {"language_id", submission.language_id},
          {"problem_id", submission.problem_id},
          {"team_id", submission.team_id},
          {"time", core::format_time(submission.submitted_ms)},
          {"contest_time", contest_reltime(submission.submitted_ms, contest)},
          {"entry_point", nullptr},
          {"files", json::array({{{"href", submission_path(contest.id, submission.id) + "/files"},
                                  {"mime", "application/zip"}}})},
          {"judging_state", core::to_string(submission.state)}};
}

json judgement_json(const core::Judgement& judgement, const core::Contest& contest) {
  // A judgement without a verdict is still running: CLICS wants all three "end" fields null.
  const bool finished = !judgement.verdict.empty();
  json out = {
      {"id", std::to_string(judgement.id)},
      {"submission_id", std::to_string(judgement.submission_id)},
      {"judgement_type_id", finished ? json(judgement.verdict) : json()},
      {"start_time", core::format_time(judgement.start_ms)},
      {"start_contest_time", contest_reltime(judgement.start_ms, contest)},
      {"end_time", finished ? json(core::format_time(judgement.end_ms)) : json()},
      {"end_contest_time", finished ? contest_reltime(judgement.end_ms, contest) : json()},
      {"max_run_time",
       judgement.max_run_time_ms ? json(*judgement.max_run_time_ms / kMillisPerSecond) : json()},
      {"current", judgement.is_current},
  };
  return out;
}

json state_json(const core::ContestState& state) {
  return {{"started", time_or_null(state.started)},
          {"frozen", time_or_null(state.frozen)},
          {"ended", time_or_null(state.ended)},
          {"thawed", time_or_null(state.thawed)},
          {"finalized", time_or_null(state.finalized)},
          {"end_of_updates", time_or_null(state.end_of_updates)}};
}

json scoreboard_json(const core::Scoreboard& board, const core::Contest& contest,
                     const core::ContestState& state, int64_t now_ms) {
  return json::parse(scoreboard_text(scoreboard_rows_text(board), contest, state, now_ms));
}

std::string scoreboard_rows_text(const core::Scoreboard& board) {
  std::string out = "[";
  for (size_t i = 0; i < board.rows.size(); ++i) {
    if (i > 0) out += ',';
    append_row(out, board.rows[i], board.score_contest);
  }
  out += ']';
  return out;
}

std::string scoreboard_text(const std::string& rows_text, const core::Contest& contest,
                            const core::ContestState& state, int64_t now_ms) {
  std::string out = scoreboard_now_json(contest, state, now_ms).dump();
  out.pop_back();  // The closing brace: the object goes on with the rows.
  out.reserve(out.size() + rows_text.size() + 10);
  out += ",\"rows\":";
  out += rows_text;
  out += '}';
  return out;
}

}  // namespace api
