#include "services/login_throttle.h"

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include "core/auth.h"
#include "core/metrics.h"
#include "core/store.h"
#include "http/handlers.h"
#include "resources/serialize.h"

namespace api {
namespace {

constexpr const char* kAccountKeyPrefix = "ratelimit:login:account:";
constexpr const char* kAddressKeyPrefix = "ratelimit:login:address:";
constexpr size_t kIpv6PrefixBytes = 8;  // A /64.
constexpr size_t kMemberBytes = 16;
constexpr int64_t kMillisPerSecond = 1000;

bool is_account_window(const core::Queue::Window& window) {
  return window.key.rfind(kAccountKeyPrefix, 0) == 0;
}

std::string ipv6_text(const std::array<unsigned char, 16>& bytes) {
  char text[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, bytes.data(), text, sizeof text) ? text : "";
}

// The local windows' clock: steady, so that a jump of the wall clock cannot open or close them.
int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> keys_of(const std::vector<core::Queue::Window>& windows) {
  std::vector<std::string> keys;
  for (const auto& window : windows) keys.push_back(window.key);
  return keys;
}

}  // namespace

std::string address_bucket(std::string_view address) {
  const std::string text(address);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    char out[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : text;
  }
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) != 1) return text;
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.data(), kMappedPrefix, sizeof kMappedPrefix) == 0) {
    std::memcpy(&v4, v6.data() + sizeof kMappedPrefix, sizeof v4);
    char out[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : text;
  }
  std::fill(v6.begin() + kIpv6PrefixBytes, v6.end(), 0);
  return ipv6_text(v6) + "/64";
}

std::vector<core::Queue::Window> login_windows(const LoginLimits& limits, std::string_view username,
                                               std::string_view client_address) {
  std::vector<core::Queue::Window> windows;
  if (limits.per_account > 0) {
    windows.push_back({kAccountKeyPrefix + core::sha256_hex(username), limits.per_account});
  }
  if (limits.per_address > 0) {
    windows.push_back({kAddressKeyPrefix + address_bucket(client_address), limits.per_address});
  }
  return windows;
}

HttpError throttled_error(const std::vector<core::Queue::Window>& windows,
                          const core::Queue::Admission& refusal) {
  const int64_t seconds =
      std::max<int64_t>(1, (refusal.retry_after_ms + kMillisPerSecond - 1) / kMillisPerSecond);
  const bool account = refusal.refused_by >= 0 &&
                       static_cast<size_t>(refusal.refused_by) < windows.size() &&
                       is_account_window(windows[static_cast<size_t>(refusal.refused_by)]);
  HttpError error{429, std::string("too many failed logins ") +
                           (account ? "for this account" : "from this address") + "; retry in " +
                           std::to_string(seconds) + " s"};
  error.retry_after_seconds = static_cast<int>(seconds);
  return error;
}

core::Queue::Admission LocalWindows::reserve(const std::vector<core::Queue::Window>& windows,
                                             int64_t window_ms, const std::string& member,
                                             int64_t now_ms) {
  std::lock_guard lock(mutex_);
  core::Queue::Admission admission;
  for (size_t i = 0; i < windows.size(); ++i) {
    auto it = windows_.find(windows[i].key);
    if (it == windows_.end()) continue;
    Window& entries = it->second;
    while (!entries.empty() && entries.front().at_ms <= now_ms - window_ms) entries.pop_front();
    const auto over = static_cast<int64_t>(entries.size()) - windows[i].limit;
    if (over < 0) continue;
    const int64_t wait =
        std::max<int64_t>(1, entries[static_cast<size_t>(over)].at_ms + window_ms - now_ms);
    if (wait > admission.retry_after_ms) {
      admission = {false, wait, static_cast<int>(i)};
    }
  }
  if (!admission.admitted) return admission;
  if (windows_.size() + windows.size() > max_keys_) make_room(window_ms, now_ms);
  for (const auto& window : windows) windows_[window.key].push_back({now_ms, member});
  return admission;
}

void LocalWindows::release(const std::vector<std::string>& keys, const std::string& member) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) {
    auto it = windows_.find(key);
    if (it == windows_.end()) continue;
    std::erase_if(it->second, [&](const Entry& entry) { return entry.member == member; });
    if (it->second.empty()) windows_.erase(it);
  }
}

void LocalWindows::make_room(int64_t window_ms, int64_t now_ms) {
  std::erase_if(windows_, [&](const auto& item) {
    return item.second.empty() || item.second.back().at_ms <= now_ms - window_ms;
  });
  if (windows_.size() >= max_keys_) windows_.clear();
}

Result<LoginTicket> LoginThrottle::admit(Services& services, std::string_view username,
                                         std::string_view client_address) {
  const auto windows = login_windows(limits_, username, client_address);
  LoginTicket ticket{keys_of(windows), core::random_hex(kMemberBytes)};
  if (windows.empty()) return ticket;
  core::Queue::Admission admission;
  try {
    admission = services.queue().reserve(windows, limits_.window_ms, ticket.member);
  } catch (const std::exception& e) {
    // Not failing open: guessing would be unlimited exactly while Redis is down.
    spdlog::warn("login throttle unavailable, counting in this process only error={}",
                 log_quote(e.what()));
    services.metrics().inc(kLoginThrottleUnavailableMetric);
    services.drop_queue();
    ticket.local = true;
    admission = local_.reserve(windows, limits_.window_ms, ticket.member, steady_ms());
  }
  if (admission.admitted) return ticket;
  HttpError error = throttled_error(windows, admission);
  const bool account = is_account_window(windows[static_cast<size_t>(admission.refused_by)]);
  services.metrics().inc(kLoginsThrottledMetric,
                         account ? R"(reason="account")" : R"(reason="address")");
  return error;
}

void LoginThrottle::forgive(Services& services, const LoginTicket& ticket) {
  if (ticket.keys.empty()) return;
  if (ticket.local) {
    local_.release(ticket.keys, ticket.member);
    return;
  }
  try {
    services.queue().release(ticket.keys, ticket.member);
  } catch (const std::exception& e) {
    // The attempt stays counted as a failure until it leaves the window: a smaller allowance
    // for a while, never a larger one.
    spdlog::warn("login throttle unavailable, a right password stays counted error={}",
                 log_quote(e.what()));
    services.metrics().inc(kLoginThrottleUnavailableMetric);
    services.drop_queue();
  }
}

}  // namespace api
