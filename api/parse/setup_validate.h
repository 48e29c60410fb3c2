// Validation of the write side's creation bodies (users, contests, organizations, groups, teams,
// problems). Pure: no store, no HTTP library. Status codes: 400 malformed JSON, a missing field or
// a wrong JSON type; 422 a well-typed but invalid value. Every message starts with the field name.
// Whether referenced ids exist is checked by the handlers (also 422).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/setup_store.h"
#include "http/result.h"

namespace api {

inline constexpr int kMaxTimeLimitSeconds = 3600;
inline constexpr int64_t kMaxMemoryMiB = int64_t{1} << 20;  // 1 TiB: a typo guard, not a policy.
inline constexpr int64_t kKibPerMib = 1024;
// Longest contest: a typo guard (5000:00:00 for 5:00:00) that also keeps start + duration far
// from overflowing.
inline constexpr int64_t kMaxContestDays = 366;
inline constexpr int kMaxMedals = 1000;  // Per medal kind; a typo guard.
inline constexpr int64_t kMaxContestDurationMs = kMaxContestDays * 24 * 3600 * 1000;

struct UserRequest {
  std::string username, password;
  core::Role role = core::Role::Team;
  std::optional<std::string> team_id;  // Required for role team.
};
Result<UserRequest> parse_user_body(std::string_view body);

// contest.id is empty when the body has none (the handler generates one).
Result<core::Contest> parse_contest_body(std::string_view body);
// PATCH contest settings: name, formal_name, duration, scoreboard_freeze_duration (null: none),
// penalty_time, scoreboard_type, applied to `contest`; the same rules as creation.
Result<core::Contest> parse_contest_settings(std::string_view body, core::Contest contest);

// id empty when absent, as for contests.
Result<core::Organization> parse_organization_body(std::string_view body);
Result<core::Group> parse_group_body(std::string_view body);
Result<core::Team> parse_team_body(std::string_view body);

// problem.contest_id is left empty for the handler; time_limit in seconds, limits in MiB.
Result<core::NewProblem> parse_problem_body(std::string_view body);

// problem.yaml validator_flags as the judge reads them (validator_rules::parse_validator_flags),
// stricter on numbers (finite, not negative): empty when valid, else the reason for the 422.
std::optional<std::string> validator_flags_error(std::string_view flags);

}  // namespace api
