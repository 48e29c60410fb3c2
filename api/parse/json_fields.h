// Field readers for JSON request bodies (api-internal). Each error is an HttpError whose message
// starts with the field name, so a client knows exactly what to fix.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/result.h"

namespace api::fields {

using nlohmann::json;

// Longest name, label, password or other free text; a typo guard (a pasted file), not a policy.
inline constexpr size_t kMaxTextBytes = 1024;

// Deeper than any body of this API needs.
inline constexpr int kMaxJsonDepth = 32;

// Parses a JSON object body; 400 with a short reason otherwise (nesting deeper than
// kMaxJsonDepth included).
Result<json> parse_object(std::string_view body);
// Required string: 400 when absent/null or not a string. `label` names the field in the error
// when it differs from the key (an element of an array: "test_cases[2].input").
Result<std::string> required_string(const json& doc, const std::string& field,
                                    const std::string& label = "");
// Optional string: absent/null is nothing, another type is a 400.
Result<std::optional<std::string>> optional_string(const json& doc, const std::string& field);
// Optional integer (JSON integer, not 1.5): absent/null is nothing, another type is a 400.
Result<std::optional<int64_t>> optional_integer(const json& doc, const std::string& field);
// An optional CLICS id: 422 when present but not an identifier.
Result<std::optional<std::string>> optional_id(const json& doc, const std::string& field);
// Free text stored as Postgres text: a required non-empty string. 400 missing/wrong type; 422
// empty, longer than kMaxTextBytes or holding a NUL (Postgres text cannot store one).
Result<std::string> required_text(const json& doc, const std::string& field);
// The same for an optional field: absent/null is nothing.
Result<std::optional<std::string>> optional_text(const json& doc, const std::string& field);

}  // namespace api::fields
