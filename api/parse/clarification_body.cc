#include "parse/clarification_body.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/timefmt.h"
#include "parse/json_fields.h"

namespace api {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kProperties = {
    "id",         "from_team_id", "to_team_id", "reply_to_id",
    "problem_id", "text",         "time",       "contest_time"};

bool present(const json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && !it->is_null();
}

Result<std::string> read_text(const json& doc) {
  auto text = fields::required_string(doc, "text");
  if (!text.ok()) return text;
  const std::string& value = text.value();
  if (value.size() > kMaxClarificationTextBytes) {
    return HttpError{422,
                     "text: longer than " + std::to_string(kMaxClarificationTextBytes) + " bytes"};
  }
  if (!core::is_storable_text(value)) return HttpError{422, "text: must not contain a NUL"};
  const bool blank = std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
  if (blank) return HttpError{422, "text: must not be empty"};
  return text;
}

// What a team may not send (CLICS team_clar): the server decides these.
std::optional<HttpError> team_limits(const json& doc) {
  for (const char* field : {"id", "to_team_id", "time"}) {
    if (present(doc, field)) {
      return HttpError{400, std::string(field) + ": must not be provided by a team"};
    }
  }
  return std::nullopt;
}

std::optional<HttpError> jury_limits(const json& doc, const std::optional<std::string>& put_id) {
  if (!put_id && present(doc, "id")) {
    return HttpError{400,
                     "id: must not be provided in a POST (PUT .../clarifications/{id} "
                     "chooses the id)"};
  }
  if (present(doc, "from_team_id") && present(doc, "to_team_id")) {
    return HttpError{400,
                     "to_team_id: must be null when from_team_id is set (teams cannot send "
                     "messages to other teams)"};
  }
  // CLICS: admin_clar requires time; a question for a team without one is proxy_clar (now).
  if (!present(doc, "time") && (put_id || !present(doc, "from_team_id"))) {
    return HttpError{400, "time: required for the jury's messages (CLICS admin_clar)"};
  }
  return std::nullopt;
}

}  // namespace

Result<ClarificationRequest> parse_clarification_body(std::string_view body,
                                                      ClarificationSender sender,
                                                      const std::optional<std::string>& put_id) {
  auto parsed = fields::parse_object(body);
  if (!parsed.ok()) return parsed.error();
  const json& doc = parsed.value();
  for (const auto& [key, value] : doc.items()) {
    if (std::find(kProperties.begin(), kProperties.end(), key) == kProperties.end()) {
      return HttpError{400, key + ": unknown property"};
    }
  }
  ClarificationRequest out;
  for (auto [field, target] :
       {std::pair{"id", &out.id}, std::pair{"from_team_id", &out.from_team_id},
        std::pair{"to_team_id", &out.to_team_id}, std::pair{"reply_to_id", &out.reply_to_id},
        std::pair{"problem_id", &out.problem_id}}) {
    auto id = fields::optional_id(doc, field);
    if (!id.ok()) return id.error();
    *target = std::move(id.value());
  }
  auto text = read_text(doc);
  if (!text.ok()) return text.error();
  out.text = std::move(text.value());
  auto time = fields::optional_string(doc, "time");
  if (!time.ok()) return time.error();
  if (time.value()) {
    out.time_ms = core::parse_time(*time.value());
    if (!out.time_ms) return HttpError{400, "time: not a CLICS TIME (2026-11-22T10:00:00Z)"};
  }
  if (present(doc, "contest_time")) {
    return HttpError{400, "contest_time: must not be provided (the server computes it from time)"};
  }
  if (sender == ClarificationSender::Team) {
    if (auto refused = team_limits(doc)) return *refused;
  } else if (auto refused = jury_limits(doc, put_id)) {
    return *refused;
  }
  if (put_id) {
    if (out.id && *out.id != *put_id) {
      return HttpError{409, "id: '" + *out.id + "' does not match the URL's '" + *put_id + "'"};
    }
    out.id = put_id;
  }
  return out;
}

}  // namespace api
