// judge-worker: wires configuration, logging and signals to the worker loop (worker.cc).
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/log.h"
#include "core/signals.h"
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

core::Options options_for(workers::WorkerConfig& c) {
  core::Options o("judge-worker", "Judges queued submissions in the sandbox.");
  o.add("database-url", "DATABASE_URL", &c.database_url, "Postgres connection URL");
  o.add("redis-url", "REDIS_URL", &c.redis_url, "Redis URL redis://host[:port][/db]");
  o.add("worker-id", "JUDGE_WORKER_ID", &c.worker_id, "unique worker id (default: host-pid-random)");
  o.add("slots", "JUDGE_WORKER_SLOTS", &c.slots, "judging slots (threads) in this process");
  o.add("box-helper", "JUDGE_BOX_PATH", &c.box_helper, "path of the judge-box sandbox helper");
  o.add("work-root", "JUDGE_WORK_ROOT", &c.work_root, "folder for boxes and cached test data");
  o.add("slot-lock-dir", "JUDGE_SLOT_LOCK_DIR", &c.slot_lock_dir,
        "host-wide folder of sandbox slot locks (shared by all workers of a host)");
  o.add("lease-seconds", "JUDGE_LEASE_SECONDS", &c.lease_seconds,
        "lease length; a dead worker's submission is re-queued after it");
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
  if (config.slots < 1 || config.lease_seconds < 3) {
    std::cerr << "judge-worker: --slots must be >= 1 and --lease-seconds >= 3\n";
    return 2;
  }
  if (config.worker_id.empty()) config.worker_id = default_worker_id();
  core::init_logging("worker", config.log_level);

  std::atomic<bool> stop{false};
  std::thread waiter([&stop] {
    int signal = core::wait_for_stop_signal();
    spdlog::info("signal {} received: finishing the submissions in hand", signal);
    stop = true;
  });
  waiter.detach();

  spdlog::info("worker starting worker={} slots={}", config.worker_id, config.slots);
  try {
    int code = workers::run_worker(config, stop);
    spdlog::info("worker stopped worker={}", config.worker_id);
    return code;
  } catch (const std::exception& e) {
    spdlog::error("worker failed to start: {}", e.what());
    return 1;
  }
}
