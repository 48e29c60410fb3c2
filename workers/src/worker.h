// The judge worker: S slots, each popping submissions from Redis, judging them in its own box and
// recording the verdict in Postgres.
#pragma once

#include <atomic>
#include <string>

namespace workers {

struct WorkerConfig {
  std::string database_url = "postgresql://judge@127.0.0.1:55432/judge";
  std::string redis_url = "redis://127.0.0.1:56379";
  std::string worker_id;           // Unique per process; generated when empty.
  int slots = 1;                   // Judging slots (threads) in this process.
  std::string box_helper = "judge-box";
  std::string work_root = "/var/lib/contest-judge";
  std::string slot_lock_dir = "/run/contest-judge/slots";
  int lease_seconds = 30;
  int key_refresh_seconds = 3;
  std::string log_level = "info";
};

// Runs until stop becomes true; returns after every slot has finished the submission in hand.
// Returns a process exit code.
int run_worker(const WorkerConfig& config, const std::atomic<bool>& stop);

}  // namespace workers
