// Read side of organizations, groups, accounts and the CLICS access object.
#include "core/account_store.h"
#include "core/contest_reads.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

Reply not_found(const char* what, const std::string& id) {
  return Reply::error(404, std::string("unknown ") + what + " '" + id + "'");
}

nlohmann::json access_json(const AccessInfo& info) {
  nlohmann::json endpoints = nlohmann::json::array();
  for (const auto& e : info.endpoints) {
    endpoints.push_back({{"type", e.type}, {"properties", e.properties}});
  }
  return {{"capabilities", info.capabilities}, {"endpoints", endpoints}};
}

}  // namespace

Reply list_organizations(Services& services, const Request&) {
  return Reply::json(200, json_array(services.reads().organizations(), organization_json));
}

Reply get_organization(Services& services, const Request& request) {
  auto organization = services.reads().organization(request.param("id"));
  if (!organization) return not_found("organization", request.param("id"));
  return Reply::json(200, organization_json(*organization));
}

Reply list_groups(Services& services, const Request&) {
  return Reply::json(200, json_array(services.reads().groups(), group_json));
}

Reply get_group(Services& services, const Request& request) {
  auto group = services.reads().group(request.param("id"));
  if (!group) return not_found("group", request.param("id"));
  return Reply::json(200, group_json(*group));
}

Reply get_access(Services&, const Request& request) {
  const core::Contest& contest = *request.contest;
  return Reply::json(200, access_json(contest_access(request.caller, contest, request.now_ms)));
}

Reply list_accounts(Services& services, const Request&) {
  return Reply::json(200, json_array(services.accounts().users(), account_json));
}

Reply get_account(Services& services, const Request& request) {
  auto user = services.accounts().user_by_name(request.param("id"));
  if (!user) return not_found("account", request.param("id"));
  return Reply::json(200, account_json(*user));
}

Reply get_own_account(Services& services, const Request& request) {
  // A bearer token may outlive its account; then there is nothing to show.
  auto user = services.accounts().user_by_name(request.caller.username);
  if (!user) return not_found("account", request.caller.username);
  return Reply::json(200, account_json(*user));
}

}  // namespace api
