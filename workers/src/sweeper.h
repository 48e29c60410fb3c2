// The sweeper (DESIGN.md): one leader among all workers, by a Postgres advisory lock, puts
// judging submissions whose lease expired back on the queue (their worker died) and pushes
// queued submissions again that nobody claimed for a while (Redis lost their item, the API could
// not push it, or their retry wait is over). Duplicate items are harmless: a claim takes each
// queued submission once.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/queue.h"
#include "worker.h"

namespace core {
class Metrics;
}

namespace workers {

void describe_sweeper_metrics(core::Metrics& metrics);

class Sweeper {
 public:
  Sweeper(const WorkerConfig& config, const core::RedisAddress& redis, core::Metrics& metrics);
  ~Sweeper();
  void start();
  void stop();

 private:
  void loop();

  const WorkerConfig& config_;
  core::RedisAddress redis_;
  core::Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace workers
