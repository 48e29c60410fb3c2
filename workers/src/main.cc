// judge-worker: wires configuration, logging and signals to the worker loop (worker.cc).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <optional>
#include <filesystem>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/signals.h"
#include "ops_server.h"
#include "worker.h"

namespace {

// Host names repeat across containers with host networking, pids repeat across pid namespaces:
// random bits make the id unique anyway.
std::string default_worker_id() {
  char host[256] = "worker";
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + core::random_hex(3);
}

// The sandbox helper is built beside us: build/workers/judge-worker, build/sandbox/judge-box.
std::string default_box_helper() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "judge-box";
  auto sibling = self.parent_path().parent_path() / "sandbox" / "judge-box";
  return std::filesystem::exists(sibling) ? sibling.string() : (self.parent_path() / "judge-box").string();
}

// A message naming the first bad setting, or nothing.
std::optional<std::string> check_config(const workers::WorkerConfig& c) {
  if (c.slots < 0 || c.slots > 64) return "--slots: must be between 1 and 64 (0: one per CPU)";
  if (c.lease_seconds < 3) return "--lease-seconds: must be >= 3";
  if (c.max_attempts < 1) return "--max-attempts: must be >= 1";
  if (c.retry_base_ms < 0) return "--retry-base-ms: must be >= 0";
  if (c.sweep_seconds < 1) return "--sweep-seconds: must be >= 1";
  if (c.stale_seconds < 1) return "--stale-seconds: must be >= 1";
  if (c.grace_seconds < 0) return "--grace-seconds: must be >= 0";
  if (c.compile_cache_mib < 0) return "--compile-cache-mib: must be >= 0";
  if (c.testdata_cache_mib < 1) return "--testdata-cache-mib: must be >= 1";
  return std::nullopt;
}

core::Options options_for(workers::WorkerConfig& c) {
  core::Options o("judge-worker", "Judges queued submissions in the sandbox.");
  o.add("database-url", "DATABASE_URL", &c.database_url, "Postgres connection URL");
  o.add("redis-url", "REDIS_URL", &c.redis_url, "Redis URL redis://host[:port][/db]");
  o.add("worker-id", "JUDGE_WORKER_ID", &c.worker_id, "unique worker id (default: host-pid-random)");
  o.add("slots", "JUDGE_WORKER_SLOTS", &c.slots,
        "judging slots (threads) in this process; 0: one per online CPU");
  o.add("box-helper", "JUDGE_BOX_PATH", &c.box_helper, "path of the judge-box sandbox helper");
  o.add("work-root", "JUDGE_WORK_ROOT", &c.work_root, "folder for boxes and cached test data");
  o.add("slot-lock-dir", "JUDGE_SLOT_LOCK_DIR", &c.slot_lock_dir,
        "host-wide folder of sandbox slot locks (shared by all workers of a host)");
  o.add("lease-seconds", "JUDGE_LEASE_SECONDS", &c.lease_seconds,
        "lease length; a dead worker's submission is re-queued after it");
  o.add("max-attempts", "JUDGE_MAX_ATTEMPTS", &c.max_attempts,
        "internal failures (errors, lost leases) before a submission gets JE and a dead letter");
  o.add("retry-base-ms", "JUDGE_RETRY_BASE_MS", &c.retry_base_ms,
        "retry n of an internal error waits base * 2^(n-1) ms (at most 60 s)");
  o.add("sweep-seconds", "JUDGE_SWEEP_SECONDS", &c.sweep_seconds,
        "how often the sweeper re-queues expired leases and lost items");
  o.add("stale-seconds", "JUDGE_STALE_SECONDS", &c.stale_seconds,
        "a queued submission unclaimed this long is pushed again");
  o.add("grace-seconds", "JUDGE_GRACE_SECONDS", &c.grace_seconds,
        "on SIGTERM: time to finish the submissions in hand before releasing them");
  o.add("compile-cache-mib", "JUDGE_COMPILE_CACHE_MIB", &c.compile_cache_mib,
        "size bound of the compiled-program cache under the work root; 0: no cache");
  o.add("testdata-cache-mib", "JUDGE_TESTDATA_CACHE_MIB", &c.testdata_cache_mib,
        "size bound of the test data cache under the work root (least recently used go first)");
  o.add("metrics-listen", "JUDGE_WORKER_METRICS_LISTEN", &c.metrics_listen,
        "host:port for /metrics and /healthz (empty: off)");
  o.add("languages", "JUDGE_WORKER_LANGUAGES", &c.languages,
        "comma-separated language ids this worker judges (default: every enabled one); each "
        "must pass its self-test at start");
  o.add("log-level", "JUDGE_LOG_LEVEL", &c.log_level, "trace, debug, info, warn or error");
  return o;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  core::block_stop_signals();
  workers::WorkerConfig config;
  config.box_helper = default_box_helper();
  auto options = options_for(config);
  if (auto error = options.parse({argv + 1, argv + argc}, core::environment(envp))) {
    std::cerr << "judge-worker: " << *error << "\n";
    return 2;
  }
  if (options.help_requested()) {
    std::cout << options.help();
    return 0;
  }
  if (auto error = check_config(config)) {
    std::cerr << "judge-worker: " << *error << "\n";
    return 2;
  }
  if (config.worker_id.empty()) config.worker_id = default_worker_id();
  // One slot per CPU: judging is CPU-bound, and more runs than cores would disturb the timing.
  if (config.slots == 0) config.slots = std::max(1u, std::thread::hardware_concurrency());
  core::init_logging("worker", config.log_level);

  std::atomic<bool> stop{false};
  std::thread waiter([&stop] {
    int signal = core::wait_for_stop_signal();
    spdlog::info("signal {} received: finishing the submissions in hand", signal);
    stop = true;
  });
  waiter.detach();

  core::Metrics metrics;
  workers::describe_metrics(metrics);
  spdlog::info("worker starting worker={} slots={}", config.worker_id, config.slots);
  try {
    std::unique_ptr<workers::OpsServer> ops;
    if (!config.metrics_listen.empty())
      ops = std::make_unique<workers::OpsServer>(config.metrics_listen, config.worker_id, metrics);
    workers::WorkerExit exit = workers::run_worker(config, stop, metrics);
    spdlog::info("worker stopped worker={} abandoned_slots={}", config.worker_id, exit.abandoned);
    if (exit.abandoned) {
      spdlog::shutdown();  // Flush: _Exit skips destructors, which the running slots still need.
      std::_Exit(exit.code);
    }
    return exit.code;
  } catch (const std::exception& e) {
    spdlog::error("worker failed to start: {}", e.what());
    return 1;
  }
}
