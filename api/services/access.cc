#include "services/access.h"

#include <algorithm>

namespace api {

ContestPhase contest_phase(const core::Contest& contest, int64_t now_ms) {
  if (!contest.start_ms) return ContestPhase::NotScheduled;
  if (now_ms < *contest.start_ms) return ContestPhase::NotStarted;
  if (now_ms < *contest.start_ms + contest.duration_ms) return ContestPhase::Running;
  return ContestPhase::Over;
}

bool contest_started(const core::Contest& contest, int64_t now_ms) {
  return contest.start_ms && *contest.start_ms <= now_ms;
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

std::optional<HttpError> check_start_change(const core::Contest& contest,
                                            const std::optional<int64_t>& start_ms,
                                            int64_t now_ms) {
  auto phase = contest_phase(contest, now_ms);
  if (phase == ContestPhase::Running || phase == ContestPhase::Over) {
    return HttpError{409, "contest " + contest.id + " has already started"};
  }
  if (contest.thawed_ms) {
    return HttpError{409, "a scoreboard thaw is set for the current schedule"};
  }
  if (start_ms && *start_ms <= now_ms) {
    return HttpError{422, "start_time: must lie in the future"};
  }
  return std::nullopt;
}

std::optional<HttpError> check_finalize(const core::Contest& contest, int64_t now_ms) {
  switch (contest_phase(contest, now_ms)) {
    case ContestPhase::Over:
      return std::nullopt;
    case ContestPhase::NotScheduled:
      return HttpError{409, "contest is not scheduled"};
    case ContestPhase::NotStarted:
    case ContestPhase::Running:
      break;
  }
  return HttpError{409, "contest has not ended yet"};
}

std::optional<std::string> team_filter(const Caller& caller) {
  if (caller.is_jury()) return std::nullopt;
  // Fail closed: a team account without a team matches no team rather than all of them.
  return caller.team_id.value_or(std::string());
}

}  // namespace api

namespace api {
namespace {

// Who may read an endpoint, from least to most privileged.
enum class Audience { Public, Problems, Authenticated, Admin };

struct EndpointSpec {
  const char* type;
  Audience audience;
  std::vector<std::string> properties;
};

// The endpoints judge-api serves with the properties it writes (core/clics.cc), ours among them
// (resources/clics_view.cc lists those; ?strict=true leaves them out). state and scoreboard are
// served by the scoreboard side of the API.
const std::vector<EndpointSpec>& endpoint_specs() {
  using A = Audience;
  static const std::vector<EndpointSpec> kSpecs = {
      {"contest",
       A::Public,
       {"id", "name", "formal_name", "start_time", "duration", "scoreboard_freeze_duration",
        "scoreboard_type", "penalty_time", "scoreboard_thaw_time", "gold_medals", "silver_medals",
        "bronze_medals", "extra_bronze"}},
      {"judgement-types", A::Public, {"id", "name", "penalty", "solved"}},
      {"languages",
       A::Public,
       {"id", "name", "entry_point_required", "entry_point_name", "extensions", "compiler",
        "runner"}},
      {"problems",
       A::Problems,
       {"id", "label", "name", "ordinal", "rgb", "time_limit", "test_data_count"}},
      {"groups", A::Public, {"id", "name"}},
      {"organizations", A::Public, {"id", "name", "formal_name", "country"}},
      {"teams", A::Public, {"id", "name", "label", "display_name", "organization_id", "group_ids"}},
      {"accounts", A::Admin, {"id", "username", "name", "type", "team_id"}},
      {"state", A::Public, {"started", "ended", "frozen", "thawed", "finalized", "end_of_updates"}},
      {"submissions",
       A::Authenticated,
       {"id", "language_id", "problem_id", "team_id", "time", "contest_time", "entry_point",
        "files", "judging_state"}},
      {"judgements",
       A::Authenticated,
       {"id", "submission_id", "judgement_type_id", "start_time", "start_contest_time", "end_time",
        "end_contest_time", "max_run_time", "current", "compile_output"}},
      {"runs",
       A::Authenticated,
       {"id", "judgement_id", "ordinal", "judgement_type_id", "time", "contest_time", "run_time",
        "memory_kib"}},
      // Public: anonymous callers read them once the contest started (the messages to all
      // only); what each caller sees of them is clarifications.cc's.
      {"clarifications",
       A::Public,
       {"id", "from_team_id", "to_team_id", "reply_to_id", "problem_id", "text", "time",
        "contest_time"}},
      {"scoreboard", A::Public, {"time", "contest_time", "state", "rows"}},
      {"awards", A::Public, {"id", "citation", "team_ids"}},
      // Each caller's feed carries what it may read of the endpoints above (event_feed.h).
      {"event-feed", A::Public, {"type", "id", "data", "token"}},
  };
  return kSpecs;
}

bool may_read(const Caller& caller, const core::Contest& contest, Audience audience,
              int64_t now_ms) {
  switch (audience) {
    case Audience::Public:
      return !check_read(caller, contest, ContestData::Public, now_ms);
    case Audience::Problems:
      return !check_read(caller, contest, ContestData::Problems, now_ms);
    case Audience::Authenticated:
      return !check_authenticated(caller);
    case Audience::Admin:
      return caller.authenticated && caller.role == core::Role::Admin;
  }
  return false;
}

std::vector<std::string> capabilities(const Caller& caller) {
  if (!caller.authenticated) return {};
  if (caller.is_team())
    return caller.team_id ? std::vector<std::string>{"team_submit", "team_clar"}
                          : std::vector<std::string>{};
  // PATCH contests (start, thaw), submitting and asking for any team, and answering
  // clarifications are for jury and admin alike: the jury is who answers.
  return {"contest_start", "contest_thaw", "proxy_submit", "proxy_clar", "admin_clar"};
}

}  // namespace

std::optional<HttpError> check_jury(const Caller& caller) {
  if (!caller.authenticated) return HttpError{401, "authentication required"};
  if (!caller.is_jury()) return HttpError{403, "only jury and admin may do this"};
  return std::nullopt;
}

std::optional<HttpError> check_admin(const Caller& caller) {
  if (!caller.authenticated) return HttpError{401, "authentication required"};
  if (caller.role != core::Role::Admin) return HttpError{403, "only an admin may do this"};
  return std::nullopt;
}

AccessInfo contest_access(const Caller& caller, const core::Contest& contest, int64_t now_ms) {
  AccessInfo info{capabilities(caller), {}};
  for (const auto& spec : endpoint_specs()) {
    // The contest object itself is always readable (GET /contests/{cid} has no restriction).
    if (std::string_view(spec.type) != "contest" &&
        !may_read(caller, contest, spec.audience, now_ms))
      continue;
    info.endpoints.push_back({spec.type, spec.properties});
    // A custom validator's message is the jury's only (clics_view.cc).
    if (std::string_view(spec.type) == "runs" && caller.is_jury())
      info.endpoints.back().properties.push_back("judge_message");
  }
  return info;
}

}  // namespace api
