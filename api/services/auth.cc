// Authentication: bearer tokens, HTTP Basic (argon2 + a short cache) and login; see auth.h.
#include "services/auth.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/metrics.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "http/handlers.h"
#include "resources/serialize.h"

namespace api {
namespace {

constexpr int64_t kMillisPerSecond = 1000;

// A hash of a random password, verified against when the user does not exist so that a login
// for an unknown name costs the same argon2 time as one with a wrong password.
const std::string& dummy_hash() {
  static const std::string hash = core::hash_password(core::random_hex(16));
  return hash;
}

// A checked password: the user it belongs to, or nothing. Argon2 runs here, on a check thread.
std::optional<core::User> verify(core::Store& store, const std::string& username,
                                 const std::string& password) {
  auto user = core::AccountStore(store).user_by_name(username);
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

Authentication authenticate_without_hashing(Services& services,
                                            const std::optional<std::string>& header,
                                            int64_t now_ms) {
  if (!header) return Caller{};
  auto credentials = parse_authorization(*header);
  if (!credentials.ok()) return credentials.error();
  if (auto* basic = std::get_if<BasicCredentials>(&credentials.value())) {
    std::string key = core::sha256_hex(*header);
    if (auto cached = services.basic_auth_cache().find(key, now_ms)) return *cached;
    return PasswordToCheck{std::move(*basic), std::move(key)};
  }
  const auto& bearer = std::get<BearerCredentials>(credentials.value());
  auto claims =
      core::verify_token(bearer.token, services.config().jwt_secret, now_ms / kMillisPerSecond);
  if (!claims) return HttpError{401, "invalid or expired token"};
  return Caller{true, claims->username, claims->role, claims->team_id};
}

std::optional<std::string> username_to_check(const Authentication& authentication, bool login_route,
                                             std::string_view body) {
  if (const auto* basic = std::get_if<PasswordToCheck>(&authentication)) {
    return basic->credentials.username;
  }
  if (!login_route || std::holds_alternative<HttpError>(authentication)) return std::nullopt;
  auto login = parse_login_body(body);
  if (!login.ok()) return std::nullopt;
  return std::move(login.value().username);
}

std::optional<HttpError> PasswordGate::admit(Services& services, const std::string& username) {
  auto ticket = services.login_throttle().admit(services, username, client_address_);
  if (!ticket.ok()) return ticket.error();
  admitted_.emplace_back(username, std::move(ticket.value()));
  return std::nullopt;
}

Result<core::User> PasswordGate::check(Services& services, const std::string& username,
                                       const std::string& password) {
  auto it = std::find_if(admitted_.begin(), admitted_.end(),
                         [&](const auto& entry) { return entry.first == username; });
  if (it == admitted_.end()) {
    if (auto refused = admit(services, username)) return *refused;
    it = std::prev(admitted_.end());
  }
  const LoginTicket ticket = std::move(it->second);
  admitted_.erase(it);
  std::optional<core::User> user;
  try {
    user = verify(services.store(), username, password);
  } catch (...) {  // Postgres failed (a 503): the attempt was no guess.
    services.login_throttle().forgive(services, ticket);
    throw;
  }
  services.metrics().inc(kPasswordChecksMetric, user ? R"(result="right")" : R"(result="wrong")");
  if (!user) return HttpError{401, "invalid username or password"};
  services.login_throttle().forgive(services, ticket);
  return std::move(*user);
}

void PasswordGate::release_unused(Services& services) {
  for (const auto& [username, ticket] : admitted_) {
    services.login_throttle().forgive(services, ticket);
  }
  admitted_.clear();
}

Result<Caller> finish_authentication(Services& services, const Authentication& authentication,
                                     PasswordGate* gate, int64_t now_ms) {
  if (const auto* caller = std::get_if<Caller>(&authentication)) return *caller;
  if (const auto* error = std::get_if<HttpError>(&authentication)) return *error;
  const auto& basic = std::get<PasswordToCheck>(authentication);
  if (!gate) throw std::logic_error("a password to check outside a password-check thread");
  auto user = gate->check(services, basic.credentials.username, basic.credentials.password);
  if (!user.ok()) return user.error();
  Caller caller = caller_of(user.value());
  services.basic_auth_cache().insert(basic.cache_key, caller, now_ms);
  return caller;
}

Reply login(Services& services, const Request& request) {
  auto body = parse_login_body(request.body);
  if (!body.ok()) return Reply::error(body.error());
  // server.cc runs every login whose body parses on a password-check thread, with a gate.
  if (!request.passwords) throw std::logic_error("a login outside a password-check thread");
  auto user = request.passwords->check(services, body.value().username, body.value().password);
  if (!user.ok()) {
    if (user.error().status == 401) {
      spdlog::info("login failed username={}", log_quote(body.value().username));
    }
    return Reply::error(user.error());
  }
  core::TokenClaims claims;
  claims.username = user.value().username;
  claims.role = user.value().role;
  claims.team_id = user.value().team_id;
  claims.expires_at = request.now_ms / kMillisPerSecond + services.config().token_ttl_seconds;
  return Reply::json(200, {{"token", core::sign_token(claims, services.config().jwt_secret)},
                           {"expires_at", core::format_time(claims.expires_at * kMillisPerSecond)},
                           {"role", core::to_string(user.value().role)}});
}

}  // namespace api
