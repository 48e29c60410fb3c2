#include "services/api_config.h"

#include <algorithm>

#include "core/queue.h"

namespace api {
namespace {

constexpr size_t kMinRequestBytes = size_t{1} << 20;  // 1 MiB
constexpr size_t kJsonEscapingFactor = 2;
constexpr size_t kEnvelopeBytes = 64 * 1024;  // Other fields and headers.
constexpr int kMaxThreads = 256;
constexpr int kMaxSourceKib = 64 * 1024;  // 64 MiB: a sanity bound, not a useful limit.
constexpr int kMaxRateLimit = 1'000'000;
constexpr int kMaxRateWindowSeconds = 86'400;  // One day.
constexpr int kMaxScoreboardCache = 4096;  // A board of 1,000 teams is about 1.5 MB.
constexpr int kMaxPasswordCheckThreads = 256;  // Each hash takes 64 MiB while it runs.
constexpr int kMaxPasswordCheckQueue = 100'000;

// A number between min and max, or the message naming the flag.
std::optional<std::string> check_range(const char* flag, int value, int min, int max) {
  if (value >= min && value <= max) return std::nullopt;
  return std::string(flag) + ": must be between " + std::to_string(min) + " and " +
         std::to_string(max);
}

std::optional<std::string> check_login_limits(const ApiConfig& config) {
  if (auto bad = check_range("--login-fail-limit-account", config.login_fail_limit_account, 0,
                             kMaxRateLimit)) {
    return bad;
  }
  if (auto bad = check_range("--login-fail-limit-address", config.login_fail_limit_address, 0,
                             kMaxRateLimit)) {
    return bad;
  }
  if (auto bad = check_range("--login-fail-window", config.login_fail_window_seconds, 1,
                             kMaxRateWindowSeconds)) {
    return bad;
  }
  if (auto bad = check_range("--password-check-threads", config.password_check_threads, 0,
                             kMaxPasswordCheckThreads)) {
    return bad;
  }
  return check_range("--password-check-queue", config.password_check_queue, 0,
                     kMaxPasswordCheckQueue);
}

}  // namespace

size_t ApiConfig::max_request_bytes() const {
  return std::max(kMinRequestBytes, max_source_bytes() * kJsonEscapingFactor + kEnvelopeBytes);
}

std::optional<std::string> check_config(const ApiConfig& config) {
  if (config.jwt_secret.empty()) {
    return "no JWT secret: set JWT_SECRET or --jwt-secret (tokens cannot be signed without it)";
  }
  if (!parse_listen(config.listen)) {
    return "--listen: expected host:port, got '" + config.listen + "'";
  }
  if (config.database_url.empty()) return "--database-url: must not be empty";
  if (!core::parse_redis_url(config.redis_url)) {
    return "--redis-url: expected redis://host[:port][/db], got '" + config.redis_url + "'";
  }
  if (config.token_ttl_seconds <= 0) return "--token-ttl: must be positive";
  if (config.threads < 1 || config.threads > kMaxThreads) {
    return "--threads: must be between 1 and " + std::to_string(kMaxThreads);
  }
  if (config.max_source_kib < 1 || config.max_source_kib > kMaxSourceKib) {
    return "--max-source-kib: must be between 1 and " + std::to_string(kMaxSourceKib);
  }
  if (config.feed_keepalive_seconds < 1 || config.feed_keepalive_seconds > 120) {
    return "--feed-keepalive: must be between 1 and 120 seconds (CLICS requires <= 120)";
  }
  if (config.feed_poll_ms < 10 || config.feed_poll_ms > 10000) {
    return "--feed-poll-ms: must be between 10 and 10000";
  }
  if (config.max_event_feeds < 1 || config.max_event_feeds > 10000) {
    return "--max-event-feeds: must be between 1 and 10000";
  }
  if (config.max_feeds_per_account < 1 || config.max_feeds_per_account > 10000) {
    return "--max-feeds-per-account: must be between 1 and 10000";
  }
  if (config.max_feeds_per_address < 1 || config.max_feeds_per_address > 10000) {
    return "--max-feeds-per-address: must be between 1 and 10000";
  }
  if (config.submit_rate_limit < 0 || config.submit_rate_limit > kMaxRateLimit) {
    return "--submit-rate-limit: must be between 0 (no limit) and " + std::to_string(kMaxRateLimit);
  }
  if (config.submit_rate_window_seconds < 1 ||
      config.submit_rate_window_seconds > kMaxRateWindowSeconds) {
    return "--submit-rate-window: must be between 1 and " + std::to_string(kMaxRateWindowSeconds) +
           " seconds";
  }
  if (config.clar_rate_limit < 0 || config.clar_rate_limit > kMaxRateLimit) {
    return "--clar-rate-limit: must be between 0 (no limit) and " + std::to_string(kMaxRateLimit);
  }
  if (config.clar_rate_window_seconds < 1 ||
      config.clar_rate_window_seconds > kMaxRateWindowSeconds) {
    return "--clar-rate-window: must be between 1 and " + std::to_string(kMaxRateWindowSeconds) +
           " seconds";
  }
  if (auto bad = check_login_limits(config)) return bad;
  if (config.scoreboard_cache < 0 || config.scoreboard_cache > kMaxScoreboardCache) {
    return "--scoreboard-cache: must be between 0 and " + std::to_string(kMaxScoreboardCache);
  }
  static constexpr const char* kLevels[] = {"trace", "debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), config.log_level) == std::end(kLevels)) {
    return "--log-level: expected trace, debug, info, warn or error, got '" + config.log_level +
           "'";
  }
  return std::nullopt;
}

}  // namespace api
