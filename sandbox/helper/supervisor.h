// The server's side of runs: the slot's persistent state, and per run the host side (stdio
// files, work dir fd, cgroup limits and counters), the CPU and wall watch, the facts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "options.h"

namespace judge_box {

// Facts about one run; printed as the helper's JSON line.
struct Facts {
  bool exited = false;
  int exit_code = 0;
  int signal = 0;
  int64_t cpu_ms = 0;
  int64_t wall_ms = 0;
  int64_t peak_memory_kib = 0;
  bool oom_killed = false;
  // none|cpu|wall|memory|output|processes; when several apply, the earliest of
  // memory, processes, output, cpu, wall (a cause usually comes before its consequences).
  std::string limit_hit = "none";
  bool output_truncated = false;
  int64_t end_us = 0;  // CLOCK_MONOTONIC when the program ended or was killed.
};

// The persistent state of one slot: its cgroups, the template root's mount point and the zygote.
// Creating it cleans up what a crashed earlier server of the slot left; destroying it leaves
// nothing behind.
class Slot {
 public:
  // Throws SysError/SetupError when the slot cannot be set up.
  explicit Slot(const Options& server);
  ~Slot();
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

  // Runs the program once. Throws SysError/SetupError when the sandbox itself fails; a failure
  // that leaves the slot unusable also sets broken().
  Facts run(const Options& o, const std::vector<std::string>& request_args);
  bool broken() const { return broken_; }
  // "v1" or "v2": the cgroup setup the slot's cgroups live in (reported to the Box).
  const char* cgroup_version() const;
  // Waits until the last run's init is gone and resets the cgroup counters for the next run.
  // The server calls it after answering, off the critical path; run() calls it itself when it
  // did not happen. Throws like run().
  void prepare_next_run();

 private:
  void finish_previous_run();
  int take_zygote_reply();
  void set_limits(const Options& o);

  struct State;
  State* state_;  // Owned; keeps cgroup.h and the fds out of this header.
  bool broken_ = false;
};

std::string to_json(const Facts& f);

}  // namespace judge_box
