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
using core::scoreboard_json;
using core::state_json;
using core::submission_json;
using core::submission_path;
using core::team_json;

// {"code":status,"message":message}. Invalid UTF-8 is replaced, never thrown.
std::string error_body(int status, std::string_view message);

// A string as a JSON string literal, for log fields (quotes, newlines and invalid UTF-8 made
// harmless, so that a log call can never throw or forge a log line).
std::string log_quote(std::string_view text);

}  // namespace api
