// Who is calling and what they may do: pure rules over the caller, the contest and the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "http/result.h"

namespace api {

struct Caller {
  bool authenticated = false;  // False: anonymous (no Authorization header).
  std::string username;
  core::Role role = core::Role::Team;
  std::optional<std::string> team_id;

  bool is_jury() const { return authenticated && role != core::Role::Team; }  // jury or admin
  bool is_team() const { return authenticated && role == core::Role::Team; }
};

enum class ContestPhase { NotScheduled, NotStarted, Running, Over };
// Running means start <= now < start + duration.
ContestPhase contest_phase(const core::Contest& contest, int64_t now_ms);
// Running or over: the start has passed (problems are no longer secret).
bool contest_started(const core::Contest& contest, int64_t now_ms);

// What of a contest is being read: problems stay secret until the start even for teams.
enum class ContestData { Problems, Public };
// Anonymous callers read contest data once the contest started; teams read problems once it
// started; jury/admin always. Error: 403 with the reason.
std::optional<HttpError> check_read(const Caller& caller, const core::Contest& contest,
                                    ContestData what, int64_t now_ms);

// Submissions and judgements need an authenticated caller (401); a team account needs a team.
std::optional<HttpError> check_authenticated(const Caller& caller);

// The team a submission is made for. Teams submit for themselves (team_id may repeat their own
// id; another id is a 403); jury/admin must name the team (400 otherwise).
Result<std::string> submission_team(const Caller& caller,
                                    const std::optional<std::string>& requested);

// Teams may submit only while the contest runs; 403 with the reason otherwise.
std::optional<HttpError> check_submission_window(const Caller& caller, const core::Contest& contest,
                                                 int64_t now_ms);

// The thaw time to store for a requested one: a thaw cannot lie in the past (the public saw the
// frozen board until now), so earlier times mean now. 422 when the contest has no freeze, is not
// scheduled, is already thawed, or the time is before the freeze starts.
Result<int64_t> thaw_time(const core::Contest& contest, int64_t requested_ms, int64_t now_ms);

// A new start time (nullopt: unschedule, CLICS "countdown paused"): 409 once the contest
// started, or when a thaw is set (it was placed for the old schedule); 422 for a time that is
// not in the future (a contest cannot start retroactively).
std::optional<HttpError> check_start_change(const core::Contest& contest,
                                            const std::optional<int64_t>& start_ms, int64_t now_ms);

// Finalizing is for a contest that is over: 409 before its end or when it is not scheduled.
std::optional<HttpError> check_finalize(const core::Contest& contest, int64_t now_ms);

// The team filter for listing submissions/judgements: a team sees only its own, jury all.
std::optional<std::string> team_filter(const Caller& caller);

// Write side: creating contests, teams, problems, organizations and groups is for jury/admin,
// creating accounts for admin only. 401 anonymous, 403 other roles.
std::optional<HttpError> check_jury(const Caller& caller);
std::optional<HttpError> check_admin(const Caller& caller);

// CLICS access object: the capabilities of the caller and, per endpoint it may read, the
// properties it sees. Follows the same rules as check_read/check_authenticated.
struct EndpointAccess {
  std::string type;
  std::vector<std::string> properties;
};
struct AccessInfo {
  std::vector<std::string> capabilities;
  std::vector<EndpointAccess> endpoints;
};
AccessInfo contest_access(const Caller& caller, const core::Contest& contest, int64_t now_ms);

}  // namespace api
