// Per-team rate limits of the write endpoints (submissions, clarifications): a sliding window in
// Redis, so that a limit holds across every API process. Jury and admin are never limited.
#pragma once

#include <optional>
#include <string>

#include "http/handlers.h"

namespace api {

struct TeamRateLimit {
  const char* what;  // "submissions": the Redis key's part and the 429's wording.
  int limit = 0;     // Per team and contest in any window; 0: no limit.
  int window_seconds = 1;
  const char* limited_metric;  // Counted for every 429.
};

// A 429 with Retry-After (seconds until the oldest use leaves the window) when the team has
// used up its allowance; nothing otherwise, which counts this use. When Redis cannot be asked
// the request goes through (fail open: a contest should not stop over its limiter), logged and
// counted in kRateLimitUnavailableMetric.
std::optional<Reply> check_team_rate_limit(Services& services, const Caller& caller,
                                           const std::string& contest_id,
                                           const std::string& team_id, const TeamRateLimit& rule);

}  // namespace api
