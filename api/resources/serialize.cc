// The API's own JSON: error bodies, log quoting, and the scoreboard document, written as text
// (it is served often and cached as text; the CLICS objects come from core/clics.h).
#include "resources/serialize.h"

#include <algorithm>

#include "core/timefmt.h"

namespace api {
namespace {

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
  if (cell.time_minutes && (score_contest ? cell.score > 0 : cell.solved))
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
          {"contest_time", core::contest_reltime(now_ms, contest)},
          {"state", state_json(state)}};
}

}  // namespace

std::string error_body(int status, std::string_view message) {
  return json{{"code", status}, {"message", message}}.dump(-1, ' ', false,
                                                           json::error_handler_t::replace);
}

std::string log_quote(std::string_view text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
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

std::string scoreboard_head(const core::Contest& contest, const core::ContestState& state,
                            int64_t now_ms) {
  std::string out = scoreboard_now_json(contest, state, now_ms).dump();
  out.pop_back();  // The closing brace: the object goes on with the rows.
  return out;
}

std::string scoreboard_tail(const std::string& rows_text) {
  std::string out;
  out.reserve(rows_text.size() + 10);
  out += ",\"rows\":";
  out += rows_text;
  out += '}';
  return out;
}

std::string scoreboard_text(const std::string& rows_text, const core::Contest& contest,
                            const core::ContestState& state, int64_t now_ms) {
  std::string out = scoreboard_head(contest, state, now_ms);
  out.reserve(out.size() + rows_text.size() + 10);
  out += ",\"rows\":";
  out += rows_text;
  out += '}';
  return out;
}

}  // namespace api
