// Who is calling: bearer tokens (stateless JWT), HTTP Basic credentials (argon2, good ones cached
// for a minute) and POST /api/auth/login. Checking a password costs an argon2 hash, so a request
// that presents one (a login, or Basic credentials not in the cache) is split in two: on its
// request thread the header is read without hashing and the attempt is admitted by the login
// throttle (login_throttle.h); then the whole request runs on a password-check thread
// (password_checks.h), whose PasswordGate checks the password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/model.h"
#include "parse/validate.h"
#include "services/access.h"
#include "services/login_throttle.h"

namespace api {

class Services;  // handlers.h

// HTTP Basic credentials that are not in the cache: their password is still to be checked.
struct PasswordToCheck {
  BasicCredentials credentials;
  std::string cache_key;  // Where a right password is cached (a hash of the whole header).
};

// The Authorization header as far as it can be read without hashing: the caller (anonymous, a
// valid token, cached Basic credentials), the 401 for a bad credential, or a password to check.
using Authentication = std::variant<Caller, HttpError, PasswordToCheck>;
Authentication authenticate_without_hashing(Services& services,
                                            const std::optional<std::string>& header,
                                            int64_t now_ms);

// The user name whose password the request presents for checking: the Basic credentials', else,
// for POST /api/auth/login (login_route), the body's when it parses. Nothing when the request
// needs no password check (or is refused before one: a bad token, a malformed body).
std::optional<std::string> username_to_check(const Authentication& authentication, bool login_route,
                                             std::string_view body);

// The passwords of one request, checked on a password-check thread under the login throttle.
// Thread-compatible: used by one thread at a time (the request thread, then a check thread).
class PasswordGate {
 public:
  explicit PasswordGate(std::string client_address) : client_address_(std::move(client_address)) {}

  // Admits an attempt for username (it counts as failed until check() finds it right): called on
  // the request thread, so that a throttled attempt never waits for a check thread. 429 when
  // the account or the address has too many failures.
  std::optional<HttpError> admit(Services& services, const std::string& username);
  // The user this password belongs to; 401 when it is wrong or there is no such user (the same
  // time either way), 429 when throttled. Uses the attempt admitted for username, else admits one.
  Result<core::User> check(Services& services, const std::string& username,
                           const std::string& password);
  // Forgives attempts admitted but never checked (the request was refused before, or busy).
  void release_unused(Services& services);

 private:
  std::string client_address_;
  std::vector<std::pair<std::string, LoginTicket>> admitted_;  // By user name.
};

// The caller, once any password the Authorization header presents has been checked through
// gate (which must be set when authentication holds a PasswordToCheck).
Result<Caller> finish_authentication(Services& services, const Authentication& authentication,
                                     PasswordGate* gate, int64_t now_ms);

}  // namespace api
