#include "access.h"

#include <algorithm>

namespace api {

ContestPhase contest_phase(const core::Contest& contest, int64_t now_ms) {
  if (!contest.start_ms) return ContestPhase::NotScheduled;
  if (now_ms < *contest.start_ms) return ContestPhase::NotStarted;
  if (now_ms < *contest.start_ms + contest.duration_ms) return ContestPhase::Running;
  return ContestPhase::Over;
}

std::optional<HttpError> check_read(const Caller& caller, const core::Contest& contest,
                                    ContestData what, int64_t now_ms) {
  if (caller.is_jury()) return std::nullopt;
  if (caller.is_team() && what == ContestData::Public) return std::nullopt;
  auto phase = contest_phase(contest, now_ms);
  if (phase == ContestPhase::Running || phase == ContestPhase::Over) return std::nullopt;
  return HttpError{403, "contest " + contest.id + " has not started yet"};
}

std::optional<HttpError> check_authenticated(const Caller& caller) {
  if (!caller.authenticated) return HttpError{401, "authentication required"};
  if (caller.is_team() && !caller.team_id) {
    return HttpError{403, "account " + caller.username + " is not linked to a team"};
  }
  return std::nullopt;
}

Result<std::string> submission_team(const Caller& caller,
                                    const std::optional<std::string>& requested) {
  if (caller.is_jury()) {
    if (!requested) return HttpError{400, "team_id: required for jury and admin submissions"};
    return *requested;
  }
  if (!caller.team_id) return HttpError{403, "account is not linked to a team"};
  if (requested && *requested != *caller.team_id) {
    return HttpError{403, "team_id: a team may only submit for itself"};
  }
  return *caller.team_id;
}

std::optional<HttpError> check_submission_window(const Caller& caller, const core::Contest& contest,
                                                 int64_t now_ms) {
  if (caller.is_jury()) return std::nullopt;  // The jury may submit test solutions any time.
  switch (contest_phase(contest, now_ms)) {
    case ContestPhase::Running:
      return std::nullopt;
    case ContestPhase::NotScheduled:
      return HttpError{403, "contest is not scheduled yet"};
    case ContestPhase::NotStarted:
      return HttpError{403, "contest has not started yet"};
    case ContestPhase::Over:
      return HttpError{403, "contest is over"};
  }
  return HttpError{403, "contest is not running"};
}

Result<int64_t> thaw_time(const core::Contest& contest, int64_t requested_ms, int64_t now_ms) {
  if (!contest.start_ms) return HttpError{422, "contest is not scheduled"};
  if (contest.freeze_ms.value_or(0) <= 0) return HttpError{422, "contest has no scoreboard freeze"};
  if (contest.thawed_ms && *contest.thawed_ms <= now_ms) {
    return HttpError{422, "scoreboard is already thawed"};
  }
  const int64_t freeze_start = *contest.start_ms + contest.duration_ms - *contest.freeze_ms;
  if (requested_ms < freeze_start) {
    return HttpError{422, "scoreboard_thaw_time: before the scoreboard freeze starts"};
  }
  return std::max(requested_ms, now_ms);
}

std::optional<std::string> team_filter(const Caller& caller) {
  if (caller.is_jury()) return std::nullopt;
  // Fail closed: a team account without a team matches no team rather than all of them.
  return caller.team_id.value_or(std::string());
}

}  // namespace api
