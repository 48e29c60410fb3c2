// The box's cgroups (v1): memory (limit incl. swap, OOM counter), pids (limit, "max" events) and
// cpuacct (CPU of the whole tree). They are created below the helper's own cgroup of each
// controller, named "judge-box-<tag>-<slot>", so a crashed run's leftovers are found by name.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace judge_box {

struct CgroupLimits {
  int64_t memory_bytes = 0;  // Enforced limit (the caller adds headroom).
  int pids_max = 0;
};

struct CgroupCounters {
  int64_t oom_kills = 0;        // Processes killed by this cgroup's memory limit.
  int64_t pids_max_events = 0;  // fork()/clone() refused by pids.max.
};

class Cgroups {
 public:
  // Locates the helper's own hierarchies. Throws SetupError on a cgroup v2-only host.
  explicit Cgroups(const std::string& box_name);

  // Removes what an earlier server of this slot left (killing its processes), then creates the
  // cgroups. A leftover that cannot be removed is reused (begin_run resets its counters).
  void create();
  // Moves pid (and its future children) into all the box's cgroups.
  void attach(pid_t pid);
  // Before each run: sets the limits (writes only those that changed).
  void set_limits(const CgroupLimits& limits);
  // Between runs: zeroes peak memory, failcnt and CPU; takes the baseline of the event counters.
  void reset_counters();

  int64_t cpu_ns() const;             // Total CPU of the tree so far.
  int64_t memory_in_use_kib() const;  // Anonymous + tmpfs memory now (page cache excluded).
  CgroupCounters counters() const;    // Since reset_counters().

  // SIGKILLs every process in the cgroups but spare (the zygote).
  void kill_all(pid_t spare) const;
  // Kills leftovers and removes the cgroups, retrying briefly while they drain. Idempotent;
  // returns false (without throwing) when something could not be removed.
  bool remove() const noexcept;

 private:
  CgroupCounters raw_counters() const;

  std::string memory_;
  std::string pids_;
  std::string cpuacct_;
  CgroupCounters baseline_;
  CgroupLimits current_;  // Last limits written; 0 = unknown.
};

}  // namespace judge_box
