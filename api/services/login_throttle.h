// Throttling password guesses (issue 16). Every password check that fails counts against its
// account (the user name, whether or not it exists, so that the answers tell nothing about which
// accounts exist) and against the client's address, in sliding windows that every API process
// shares through Redis. An attempt is admitted before its check, counting as a failure until the
// password turns out right (then it is taken back), so that concurrent guesses cannot overshoot a
// limit; an attempt over either limit is refused (429 with Retry-After) without any hashing.
//
// Limits: one address must never lock an account by itself, so its limit should stay below the
// account's (the defaults: 10 and 20 per 60 s). An account then only locks when several
// addresses guess at it, and only while they keep going. When Redis cannot be asked, this
// process's own windows stand in (logged, counted in judge_api_login_throttle_unavailable_total).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/queue.h"
#include "http/result.h"

namespace api {

class Services;  // handlers.h

struct LoginLimits {
  int per_account = 0;  // Failed logins per user name in the window; 0: no limit.
  int per_address = 0;  // Failed logins per client address in the window; 0: no limit.
  int64_t window_ms = 60'000;
};

// What a client is counted by: an IPv4 address (also written as IPv4-mapped IPv6) as is, an IPv6
// address by its /64 prefix: one host usually holds a whole /64 and could rotate through it.
// Anything else (no address) is counted as it is written.
std::string address_bucket(std::string_view address);

// The windows an attempt counts in: the account's, then the address's (a limit of 0 adds none).
// Account keys carry a hash of the user name, which may be long or hold anything.
std::vector<core::Queue::Window> login_windows(const LoginLimits& limits, std::string_view username,
                                               std::string_view client_address);

// The 429 for an attempt that `windows` refused: which limit it hit (the account's or the
// address's) and when to retry, rounded up to whole seconds (at least 1, also in retry_after).
HttpError throttled_error(const std::vector<core::Queue::Window>& windows,
                          const core::Queue::Admission& refusal);

// This process's stand-in for the Redis windows: the same rules as core::Queue::reserve and
// release, with the caller's clock. Thread-safe. Bounded: when it holds max_keys keys, windows
// with nothing left in them are dropped, and if that is not enough, all of them (as
// BasicAuthCache does: an outage forgets some failures rather than growing without bound).
class LocalWindows {
 public:
  static constexpr size_t kDefaultMaxKeys = 100'000;
  explicit LocalWindows(size_t max_keys = kDefaultMaxKeys) : max_keys_(max_keys) {}

  core::Queue::Admission reserve(const std::vector<core::Queue::Window>& windows, int64_t window_ms,
                                 const std::string& member, int64_t now_ms);
  void release(const std::vector<std::string>& keys, const std::string& member);

 private:
  struct Entry {
    int64_t at_ms;
    std::string member;
  };
  using Window = std::deque<Entry>;  // Oldest first.
  void make_room(int64_t window_ms, int64_t now_ms);

  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

// One admitted attempt: where it counts, until it is settled.
struct LoginTicket {
  std::vector<std::string> keys;
  std::string member;
  bool local = false;  // Counted in this process's windows (Redis could not be asked).
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginLimits limits) : limits_(limits) {}

  // Admits one attempt for `username` from `client_address` (counting it as a failure), or the
  // 429 saying which limit refused it and when to retry.
  Result<LoginTicket> admit(Services& services, std::string_view username,
                            std::string_view client_address);
  // The password was right (or was never checked): the attempt no longer counts.
  void forgive(Services& services, const LoginTicket& ticket);

 private:
  LoginLimits limits_;
  LocalWindows local_;
};

}  // namespace api
