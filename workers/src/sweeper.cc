#include "sweeper.h"

#include <spdlog/spdlog.h>

#include <map>
#include <memory>

#include "core/judging_store.h"
#include "core/metrics.h"

namespace workers {
namespace {

constexpr const char* kRequeuedMetric = "judge_worker_requeued_total";
constexpr const char* kQueueLengthMetric = "judge_worker_queue_length";
constexpr const char* kLeaderMetric = "judge_worker_sweeper_leader";

}  // namespace

void describe_sweeper_metrics(core::Metrics& metrics) {
  metrics.describe(kRequeuedMetric, "counter",
                   "Submissions the sweeper put back on the queue, by reason: lease_expired "
                   "(a worker died), unclaimed (Redis lost the item or a retry is due).");
  metrics.describe(kQueueLengthMetric, "gauge",
                   "Items in each contest's submission list (reported by the sweeper leader).");
  metrics.describe(kLeaderMetric, "gauge", "1 while this worker's sweeper is the leader.");
  metrics.set(kLeaderMetric, "", 0);
}

Sweeper::Sweeper(const WorkerConfig& config, const core::RedisAddress& redis,
                 core::Metrics& metrics)
    : config_(config), redis_(redis), metrics_(metrics) {}

Sweeper::~Sweeper() { stop(); }

void Sweeper::start() {
  thread_ = std::thread([this] { loop(); });
}

void Sweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sweeper::loop() {
  std::unique_ptr<core::Store> store;
  std::unique_ptr<core::Queue> queue;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(config_.sweep_seconds),
                         [this] { return stopping_; })) {
    lock.unlock();
    try {
      if (!store) store = std::make_unique<core::Store>(config_.database_url);
      if (!queue) queue = std::make_unique<core::Queue>(redis_);
      core::JudgingStore judging(*store);
      bool leading = judging.lead_sweeper();
      metrics_.set(kLeaderMetric, "", leading ? 1 : 0);
      if (leading) {
        // Lease expiries first: their rows become queued and are pushed right away.
        auto expired = judging.requeue_expired_leases();
        for (const auto& ref : expired)
          queue->push({ref.submission_id, ref.contest_id, ref.rejudge});
        auto unclaimed = judging.requeue_unclaimed(config_.stale_seconds);
        for (const auto& ref : unclaimed)
          queue->push({ref.submission_id, ref.contest_id, ref.rejudge});
        if (!expired.empty() || !unclaimed.empty())
          spdlog::warn("sweeper requeued lease_expired={} unclaimed={} worker={}", expired.size(),
                       unclaimed.size(), config_.worker_id);
        metrics_.inc(kRequeuedMetric, "reason=\"lease_expired\"", double(expired.size()));
        metrics_.inc(kRequeuedMetric, "reason=\"unclaimed\"", double(unclaimed.size()));
        for (const auto& key : queue->discover_keys())
          metrics_.set(kQueueLengthMetric, "queue=\"" + key + "\"", double(queue->length(key)));
      }
    } catch (const std::exception& e) {
      // Postgres or Redis is down: start over with fresh connections (and the lock re-taken).
      spdlog::warn("sweeper pass failed, retrying in {} s: {}", config_.sweep_seconds, e.what());
      metrics_.set(kLeaderMetric, "", 0);
      store.reset();
      queue.reset();
    }
    lock.lock();
  }
}

}  // namespace workers
