// The box's cgroups: memory (limit incl. swap, OOM counter), pids (limit, "max" events) and CPU
// of the whole tree. v1: one cgroup per controller hierarchy (memory, pids, cpuacct); v2: one
// leaf in the unified hierarchy (differences in cgroup_layout.h). They are created below the
// helper's own cgroup (read from /proc/self/cgroup and /proc/self/mountinfo, so this works in a
// container), named "judge-box-<tag>-<slot>", so a crashed server's leftovers are found by name.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cgroup_layout.h"

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
  // Detects v1/v2 and locates the helper's own cgroups. Throws SetupError when not mounted.
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

  CgroupVersion version() const { return version_; }

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
  int64_t raw_cpu_ns() const;
  void enable_v2_controllers();
  std::string server_leaf() const { return parent_ + "/judge-box-" + name_ + "-server"; }

  std::string name_;
  CgroupVersion version_ = CgroupVersion::V1;
  CgroupFiles files_;
  std::string parent_;  // v2: our own cgroup, parent of the box's leaf.
  std::string memory_;  // The box's cgroup dirs (all the same on v2).
  std::string pids_;
  std::string cpu_;
  std::vector<std::string> dirs_;  // Distinct dirs of the above.
  int64_t cpu_baseline_ns_ = 0;    // v2: cpu.stat cannot be reset.
  CgroupCounters baseline_;
  CgroupLimits current_;  // Last limits written; 0 = unknown.
};

}  // namespace judge_box
