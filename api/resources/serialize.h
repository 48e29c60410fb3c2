// JSON served by judge-api: the CLICS objects come from core/clics.h (the Store writes the same
// objects into the event feed); this adds our error body and log quoting.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/clics.h"

namespace api {

using nlohmann::json;

// The CLICS serializers, by their short names inside the API.
using core::account_json;
using core::api_information;
using core::contest_json;
using core::find_judgement_type;
using core::group_json;
using core::judgement_json;
using core::judgement_type_json;
using core::judgement_types;
using core::JudgementType;
using core::language_json;
using core::organization_json;
using core::problem_json;
using core::run_json;
using core::state_json;
using core::submission_json;
using core::submission_path;
using core::team_json;

// CLICS scoreboard.json at now_ms. Pass-fail rows carry num_solved/total_time and per problem
// solved/time; score contests carry score instead (the schema allows exactly one of the two).
// first_to_solve is an extension (as DOMjudge serves it); the non-strict schema allows it.
json scoreboard_json(const core::Scoreboard& board, const core::Contest& contest,
                     const core::ContestState& state, int64_t now_ms);
// The same as text in two parts: the "rows" array alone (what the API caches), and the whole
// document from those rows plus the fields that depend on now_ms.
std::string scoreboard_rows_text(const core::Scoreboard& board);
std::string scoreboard_text(const std::string& rows_text, const core::Contest& contest,
                            const core::ContestState& state, int64_t now_ms);
// scoreboard_text() is scoreboard_head() + scoreboard_tail(): the object's fields of now_ms
// without its closing brace, then ,"rows":[...]} (the constant part, compressed once for gzip).
std::string scoreboard_head(const core::Contest& contest, const core::ContestState& state,
                            int64_t now_ms);
std::string scoreboard_tail(const std::string& rows_text);

// {"code":status,"message":message}. Invalid UTF-8 is replaced, never thrown.
std::string error_body(int status, std::string_view message);

// A string as a JSON string literal, for log fields (quotes, newlines and invalid UTF-8 made
// harmless, so that a log call can never throw or forge a log line).
std::string log_quote(std::string_view text);

}  // namespace api
