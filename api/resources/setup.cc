// Write side of the contest setup: accounts, contests, organizations, groups, teams and problems.
// Creating an id that exists is a 409 (the insert itself detects it, so it holds under races);
// nothing is written when validation fails.
#include <spdlog/spdlog.h>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/contest_reads.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "parse/setup_validate.h"
#include "resources/handler_util.h"
#include "resources/problem_import.h"
#include "resources/serialize.h"

namespace api {
namespace {

constexpr size_t kGeneratedIdBytes = 6;  // 12 hex digits: collisions are a 409, not a corruption.

// Fills in a generated id when the body had none.
void ensure_id(std::string& id) {
  if (id.empty()) id = core::random_hex(kGeneratedIdBytes);
}

Reply created(const nlohmann::json& body, const std::string& location) {
  Reply reply = Reply::json(201, body);
  reply.location = location;
  return reply;
}

Reply conflict(const std::string& what, const std::string& id) {
  return Reply::error(409, "id: " + what + " '" + id + "' already exists");
}

// The organization and groups a team names must exist (422 naming the field).
std::optional<HttpError> check_team_references(core::Store& store, const core::Team& team) {
  if (team.organization_id && !core::ContestReads(store).organization(*team.organization_id)) {
    return HttpError{422, "organization_id: unknown organization '" + *team.organization_id + "'"};
  }
  for (const auto& group_id : team.group_ids) {
    if (!core::ContestReads(store).group(group_id))
      return HttpError{422, "group_ids: unknown group '" + group_id + "'"};
  }
  return std::nullopt;
}

}  // namespace

Reply create_user(Services& services, const Request& request) {
  auto body = parse_user_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  const UserRequest& u = body.value();
  core::Store& store = services.store();
  if (u.team_id && !core::AccountStore(store).team_exists(*u.team_id)) {
    return Reply::error(422, "team_id: unknown team '" + *u.team_id + "'");
  }
  if (!core::AccountStore(store).insert_user(u.username, core::hash_password(u.password), u.role,
                                             u.team_id)) {
    return Reply::error(409, "username: '" + u.username + "' already exists");
  }
  spdlog::info("user created username={} role={} by={}", log_quote(u.username),
               core::to_string(u.role), log_quote(request.caller.username));
  // No Location: accounts are read per contest (contests/{cid}/accounts/{id}), not under /users.
  return Reply::json(201, account_json(core::User{0, u.username, "", u.role, u.team_id}));
}

Reply create_contest(Services& services, const Request& request) {
  auto body = parse_contest_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  core::Contest& contest = body.value();
  ensure_id(contest.id);
  if (!services.setup().insert_contest(contest)) return conflict("contest", contest.id);
  spdlog::info("contest created contest_id={} by={}", contest.id,
               log_quote(request.caller.username));
  return created(contest_json(contest), "/api/contests/" + contest.id);
}

Reply create_organization(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto body = parse_organization_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  ensure_id(body.value().id);
  if (!services.setup().insert_organization(body.value())) {
    return conflict("organization", body.value().id);
  }
  return created(organization_json(body.value()),
                 "/api/contests/" + contest.id + "/organizations/" + body.value().id);
}

Reply create_group(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto body = parse_group_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  ensure_id(body.value().id);
  if (!services.setup().insert_group(body.value())) return conflict("group", body.value().id);
  return created(group_json(body.value()),
                 "/api/contests/" + contest.id + "/groups/" + body.value().id);
}

Reply create_team(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto body = parse_team_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  core::Team& team = body.value();
  ensure_id(team.id);
  core::Store& store = services.store();
  if (auto invalid = check_team_references(store, team)) return Reply::error(*invalid);
  // Teams are global: an id used by any contest is taken.
  if (!core::SetupStore(store).insert_team(contest.id, team)) return conflict("team", team.id);
  return created(team_json(team), "/api/contests/" + contest.id + "/teams/" + team.id);
}

Reply create_problem(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  if (request.zip_body) return import_problem_package(services, request, contest);
  auto body = parse_problem_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  core::Problem& problem = body.value().problem;
  problem.contest_id = contest.id;
  if (!services.setup().insert_problem(body.value())) return conflict("problem", problem.id);
  spdlog::info("problem created contest_id={} problem_id={} tests={} by={}", problem.contest_id,
               problem.id, problem.test_count, log_quote(request.caller.username));
  return created(problem_json(problem),
                 "/api/contests/" + problem.contest_id + "/problems/" + problem.id);
}

}  // namespace api
