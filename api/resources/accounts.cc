// Read side of organizations, groups, accounts and the CLICS access object.
#include <algorithm>

#include "core/account_store.h"
#include "core/contest_reads.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

Reply not_found(const char* what, const std::string& id) {
  return Reply::error(404, std::string("unknown ") + what + " '" + id + "'");
}

// With ?strict=true an endpoint's properties are the spec's only, as its objects then are.
nlohmann::json access_json(const AccessInfo& info, Strictness strictness) {
  nlohmann::json endpoints = nlohmann::json::array();
  for (const auto& e : info.endpoints) {
    std::vector<std::string> properties = e.properties;
    if (strictness == Strictness::Strict) {
      const auto& ours = extension_keys(e.type);
      std::erase_if(properties, [&](const std::string& p) {
        return std::find(ours.begin(), ours.end(), p) != ours.end();
      });
    }
    endpoints.push_back({{"type", e.type}, {"properties", properties}});
  }
  return {{"capabilities", info.capabilities}, {"endpoints", endpoints}};
}

}  // namespace

Reply list_organizations(Services& services, const Request& request) {
  return view_array_reply(request, "organizations", services.reads().organizations(),
                          organization_json);
}

Reply get_organization(Services& services, const Request& request) {
  auto organization = services.reads().organization(request.param("id"));
  if (!organization) return not_found("organization", request.param("id"));
  return view_reply(200, request, "organizations", organization_json(*organization));
}

Reply list_groups(Services& services, const Request& request) {
  return view_array_reply(request, "groups", services.reads().groups(), group_json);
}

Reply get_group(Services& services, const Request& request) {
  auto group = services.reads().group(request.param("id"));
  if (!group) return not_found("group", request.param("id"));
  return view_reply(200, request, "groups", group_json(*group));
}

Reply get_access(Services&, const Request& request) {
  const core::Contest& contest = *request.contest;
  return view_reply(
      200, request, "access",
      access_json(contest_access(request.caller, contest, request.now_ms), request.strictness));
}

Reply list_accounts(Services& services, const Request& request) {
  return view_array_reply(request, "accounts", services.accounts().users(), account_json);
}

Reply get_account(Services& services, const Request& request) {
  auto user = services.accounts().user_by_name(request.param("id"));
  if (!user) return not_found("account", request.param("id"));
  return view_reply(200, request, "accounts", account_json(*user));
}

Reply get_own_account(Services& services, const Request& request) {
  // A bearer token may outlive its account; then there is nothing to show.
  auto user = services.accounts().user_by_name(request.caller.username);
  if (!user) return not_found("account", request.caller.username);
  return view_reply(200, request, "accounts", account_json(*user));
}

}  // namespace api
