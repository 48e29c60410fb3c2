// Authentication: bearer tokens (stateless JWT), HTTP Basic (argon2 + a short cache) and login.
#include "core/auth.h"

#include <spdlog/spdlog.h>

#include "core/store.h"
#include "core/timefmt.h"
#include "handlers.h"
#include "serialize.h"

namespace api {
namespace {

constexpr int64_t kMillisPerSecond = 1000;

// A hash of a random password, verified against when the user does not exist so that a login
// for an unknown name costs the same argon2 time as one with a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = core::hash_password(core::random_hex(16));
  return hash;
}

// Checks a username/password against the store; empty when the credentials are wrong.
std::optional<core::User> check_password(core::Store& store, const std::string& username,
                                         const std::string& password) {
  auto user = store.user_by_name(username);
  if (!user) {
    core::verify_password(password, dummy_hash());
    return std::nullopt;
  }
  if (!core::verify_password(password, user->password_hash)) return std::nullopt;
  return user;
}

Caller caller_of(const core::User& user) {
  return Caller{true, user.username, user.role, user.team_id};
}

Result<Caller> authenticate_basic(Services& services, const std::string& header,
                                  const BasicCredentials& basic, int64_t now_ms) {
  const std::string key = core::sha256_hex(header);
  if (auto cached = services.basic_auth_cache().find(key, now_ms)) return *cached;
  auto user = check_password(services.store(), basic.username, basic.password);
  if (!user) return HttpError{401, "invalid username or password"};
  Caller caller = caller_of(*user);
  services.basic_auth_cache().insert(key, caller, now_ms);
  return caller;
}

}  // namespace

std::optional<Caller> BasicAuthCache::find(const std::string& key, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires_ms <= now_ms) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.caller;
}

void BasicAuthCache::insert(const std::string& key, const Caller& caller, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& entry) { return entry.second.expires_ms <= now_ms; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[key] = Entry{caller, now_ms + ttl_ms_};
}

Result<Caller> authenticate(Services& services, const std::optional<std::string>& header,
                            int64_t now_ms) {
  if (!header) return Caller{};
  auto credentials = parse_authorization(*header);
  if (!credentials.ok()) return credentials.error();
  if (auto* basic = std::get_if<BasicCredentials>(&credentials.value())) {
    return authenticate_basic(services, *header, *basic, now_ms);
  }
  const auto& bearer = std::get<BearerCredentials>(credentials.value());
  auto claims =
      core::verify_token(bearer.token, services.config().jwt_secret, now_ms / kMillisPerSecond);
  if (!claims) return HttpError{401, "invalid or expired token"};
  return Caller{true, claims->username, claims->role, claims->team_id};
}

Reply login(Services& services, const Request& request) {
  auto body = parse_login_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  auto user = check_password(services.store(), body.value().username, body.value().password);
  if (!user) {
    spdlog::info("login failed username={}", log_quote(body.value().username));
    return Reply::error(401, "invalid username or password");
  }
  core::TokenClaims claims;
  claims.username = user->username;
  claims.role = user->role;
  claims.team_id = user->team_id;
  claims.expires_at = request.now_ms / kMillisPerSecond + services.config().token_ttl_seconds;
  return Reply::json(200, {{"token", core::sign_token(claims, services.config().jwt_secret)},
                           {"expires_at", core::format_time(claims.expires_at * kMillisPerSecond)},
                           {"role", core::to_string(user->role)}});
}

}  // namespace api
