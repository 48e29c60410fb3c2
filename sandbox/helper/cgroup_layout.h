// Where the box's cgroups live and which files mean what, on cgroup v1 and v2. Pure functions of
// the texts of /proc/self/cgroup and /proc/self/mountinfo, so they are unit-tested without root;
// cgroup.cc does the I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace judge_box {

enum class CgroupVersion { V1, V2 };

// One line of /proc/self/cgroup: "4:memory,foo:/a/b" or, on v2, "0::/a/b".
struct ProcCgroupLine {
  int id = 0;
  std::vector<std::string> controllers;  // Empty on the v2 line.
  std::string path;
};
std::vector<ProcCgroupLine> parse_proc_cgroup(const std::string& text);

// A cgroup or cgroup2 mount from /proc/self/mountinfo.
struct CgroupMount {
  std::string root;         // Field 4: the cgroup mounted there ("/" unless bind or cgroupns).
  std::string mount_point;  // Field 5.
  bool v2 = false;          // fstype cgroup2.
  std::vector<std::string> controllers;  // v1: from the super options (memory, pids, ...).
};
std::vector<CgroupMount> parse_cgroup_mounts(const std::string& mountinfo);

// A mount of cgroups outside this process's cgroup namespace (mountinfo shows its root as
// "/.." or deeper up): a host's tree bound into a container with a namespace of its own. Paths
// from /proc/self/cgroup do not lead into it.
bool outside_own_namespace(const CgroupMount& mount);

// v2 when the cgroup root is a cgroup2fs, or when /proc/self/cgroup has only a "0::" line.
CgroupVersion detect_version(const std::string& proc_cgroup, bool root_is_cgroup2fs);

// The process's own cgroup dir for controller (v1) or the unified dir (v2, controller ignored):
// the mount point plus the own path relative to the mount's root. nullopt when not mounted.
std::optional<std::string> own_dir(CgroupVersion version, const std::vector<ProcCgroupLine>& self,
                                   const std::vector<CgroupMount>& mounts,
                                   const std::string& controller);

// The cgroup files and keys that differ between the versions.
struct CgroupFiles {
  std::string memory_limit;         // v1 memory.limit_in_bytes, v2 memory.max
  std::string swap_limit;           // v1 memory.memsw.limit_in_bytes (RAM+swap), v2 memory.swap.max
  bool swap_limit_is_total = true;  // v1: RAM+swap; v2: swap alone (set to 0).
  std::string pids_max;             // pids.max
  std::string cpu_usage;            // v1 cpuacct.usage (ns), v2 cpu.stat
  std::string cpu_usage_key;        // "" (whole file is the number) or "usage_usec"
  int64_t cpu_usage_ns_per_unit = 1;
  bool cpu_usage_resettable = true;             // v1: write 0; v2: keep a baseline.
  std::string memory_stat;                      // memory.stat
  std::vector<std::string> memory_in_use_keys;  // v1 rss+shmem, v2 anon+shmem
  std::string oom_events;                       // v1 memory.oom_control, v2 memory.events
  std::string oom_kill_key;                     // oom_kill
  std::string pids_events;                      // pids.events
  std::string pids_max_key;                     // max
  std::vector<std::string> resets;              // Files zeroed between runs (v1 only).
  std::string v1_controllers[3];                // memory, pids, cpuacct (v1 mount names)
};
CgroupFiles cgroup_files(CgroupVersion version);

// v2: the controllers the box needs enabled in its parent's cgroup.subtree_control.
constexpr const char* kV2Controllers[] = {"memory", "pids", "cpu"};
// Missing controllers of subtree_control text ("cpu memory"), as "+pids +cpu" for writing.
std::string missing_controllers(const std::string& subtree_control);
// Those of kV2Controllers that a cgroup.controllers text lacks ("pids cpu"), or "".
std::string unavailable_controllers(const std::string& controllers);

// v2: the leaf that the worker's and helpers' processes move into, so that their cgroup may
// enable controllers for the boxes (no process may live in a cgroup that does).
constexpr const char* kProcessesLeaf = "judge-processes";
// The parent of the boxes' cgroups for a helper whose own cgroup dir is own: own itself, or its
// parent when own is kProcessesLeaf (a helper started after the move).
std::string boxes_parent(const std::string& own);

}  // namespace judge_box
