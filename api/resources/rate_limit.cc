#include "resources/rate_limit.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/metrics.h"
#include "core/queue.h"
#include "resources/serialize.h"

namespace api {
namespace {

constexpr int64_t kMillisPerSecond = 1000;

}  // namespace

std::optional<Reply> check_team_rate_limit(Services& services, const Caller& caller,
                                           const std::string& contest_id,
                                           const std::string& team_id, const TeamRateLimit& rule) {
  if (caller.is_jury() || rule.limit == 0) return std::nullopt;
  const std::string key = std::string("ratelimit:") + rule.what + ":" + contest_id + ":" + team_id;
  core::Queue::Admission admission;
  try {
    admission = services.queue().admit(key, rule.limit, rule.window_seconds * kMillisPerSecond);
  } catch (const std::exception& e) {
    spdlog::warn("rate limit unavailable, {} not limited contest_id={} team_id={} error={}",
                 rule.what, contest_id, team_id, log_quote(e.what()));
    services.metrics().inc(kRateLimitUnavailableMetric);
    services.drop_queue();
    return std::nullopt;
  }
  if (admission.admitted) return std::nullopt;
  services.metrics().inc(rule.limited_metric);
  const int64_t retry_after = (admission.retry_after_ms + kMillisPerSecond - 1) / kMillisPerSecond;
  Reply reply = Reply::error(
      429, std::string("too many ") + rule.what + ": at most " + std::to_string(rule.limit) +
               " per " + std::to_string(rule.window_seconds) + " s per team; retry in " +
               std::to_string(retry_after) + " s");
  reply.retry_after_seconds = static_cast<int>(std::max<int64_t>(1, retry_after));
  return reply;
}

}  // namespace api
