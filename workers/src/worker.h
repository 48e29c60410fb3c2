// The judge worker: S slots, each popping submissions from Redis, judging them in its own box and
// recording the verdict in Postgres.
#pragma once

#include <atomic>
#include <string>

namespace core {
class Metrics;
}

namespace workers {

struct WorkerConfig {
  std::string database_url = "postgresql://judge@127.0.0.1:25432/judge";
  std::string redis_url = "redis://127.0.0.1:26379";
  std::string worker_id;           // Unique per process; generated when empty.
  int slots = 0;                   // Judging slots (threads); 0: one per online CPU.
  std::string box_helper = "judge-box";
  std::string work_root = "/var/lib/contest-judge";
  std::string slot_lock_dir = "/run/contest-judge/slots";
  int lease_seconds = 30;
  int key_refresh_seconds = 3;
  int max_attempts = 3;             // Internal failures (errors, lost leases) before JE.
  int retry_base_ms = 2000;         // Retry n waits base * 2^(n-1) ms, at most 60 s.
  int sweep_seconds = 5;            // How often the sweeper (one leader) looks.
  int stale_seconds = 30;           // Queued this long without a claim: pushed again.
  int grace_seconds = 30;           // On stop: time to finish the submissions in hand.
  int compile_cache_mib = 512;      // Compiled programs kept under work_root; 0: no cache.
  int testdata_cache_mib = 2048;    // Test data kept under work_root (a soft bound).
  std::string metrics_listen;       // host:port of /metrics and /healthz; empty: none.
  std::string languages;            // Comma-separated language ids to judge; empty: all enabled.
  std::string log_level = "info";
};

struct WorkerExit {
  int code = 0;
  // True when slots still judge after the grace period: their submissions were released, and
  // the process must end with std::_Exit (the slot threads cannot be joined).
  bool abandoned = false;
};

// Runs until stop becomes true, then stops popping and gives the slots grace_seconds to finish
// the submissions in hand; what is still judging then is released to the queue. Returns
// kExitSandboxUnfit (sandbox_check.h) before taking any work when the sandbox self-check fails.
WorkerExit run_worker(const WorkerConfig& config, const std::atomic<bool>& stop,
                      core::Metrics& metrics);

// Prometheus families of the worker, declared once at start.
void describe_metrics(core::Metrics& metrics);

}  // namespace workers
