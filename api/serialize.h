// JSON shapes served by judge-api: CLICS 2023-06 objects built from core model structs, plus
// our error body. Pure functions; times go through core/timefmt.h.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/scoreboard.h"

namespace api {

using nlohmann::json;

struct JudgementType {
  const char* id;
  const char* name;
  bool penalty, solved;
};
// The judgement types this judge serves (API.md "Judgement types served"), in display order.
const std::vector<JudgementType>& judgement_types();
const JudgementType* find_judgement_type(std::string_view id);  // nullptr when unknown.

// {"code":status,"message":message}. Invalid UTF-8 is replaced, never thrown.
std::string error_body(int status, std::string_view message);

// A string as a JSON string literal, for log fields (quotes, newlines and invalid UTF-8 made
// harmless, so that a log call can never throw or forge a log line).
std::string log_quote(std::string_view text);

json api_information();
json contest_json(const core::Contest& contest);
json problem_json(const core::Problem& problem);
json language_json(const core::Language& language);
json judgement_type_json(const JudgementType& type);
json team_json(const core::Team& team);
json organization_json(const core::Organization& organization);
json group_json(const core::Group& group);
// CLICS account: id = username; our jury role is CLICS type "judge". Never the password hash.
json account_json(const core::User& user);
// Contest times are relative to the contest start (0 when the contest is not scheduled).
json submission_json(const core::Submission& submission, const core::Contest& contest);
json judgement_json(const core::Judgement& judgement, const core::Contest& contest);

// CLICS state.json: every field present, null until it happened.
json state_json(const core::ContestState& state);
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

// Where a submission lives, relative to the API root: contests/{cid}/submissions/{id}.
std::string submission_path(const std::string& contest_id, int64_t submission_id);

}  // namespace api
