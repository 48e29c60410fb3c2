// Bodies of POST .../clarifications and PUT .../clarifications/{id} (CLICS 2023-06 team_clar,
// proxy_clar, admin_clar). Pure: what a body may hold for who sends it; the references it names
// are checked against the store by the handler. Every error names the property.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/result.h"

namespace api {

// Longest clarification text: a question or an answer, not a pasted file.
inline constexpr size_t kMaxClarificationTextBytes = 4096;

// A team (team_clar: POST only) or the jury (proxy_clar and admin_clar: POST and PUT).
enum class ClarificationSender { Team, Jury };

struct ClarificationRequest {
  std::optional<std::string> id;  // PUT: the path's.
  std::optional<std::string> from_team_id, to_team_id, reply_to_id, problem_id;
  std::string text;
  std::optional<int64_t> time_ms;  // Empty: now.
};

// put_id: the path's id for a PUT, empty for a POST. Refused:
//   400 malformed JSON, a property of the wrong type, an unknown property, text missing,
//       contest_time (the server computes it from time); from a team: id, to_team_id, time;
//       in a POST: id; from the jury: from_team_id and to_team_id together, and no time where
//       admin_clar requires one (a PUT, or a POST that is not a question for a team);
//   409 a PUT whose body's id differs from the path's;
//   422 an id that is not an identifier, text empty (or only white space), longer than
//       kMaxClarificationTextBytes or holding a NUL.
Result<ClarificationRequest> parse_clarification_body(std::string_view body,
                                                      ClarificationSender sender,
                                                      const std::optional<std::string>& put_id);

}  // namespace api
