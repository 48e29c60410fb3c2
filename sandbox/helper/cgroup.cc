#include "cgroup.h"

#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "sys_util.h"

namespace judge_box {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";
constexpr int kDrainAttempts = 1000;  // x kDrainSleepUs: give up removing after ~2 s.
constexpr useconds_t kDrainSleepUs = 2000;
constexpr int kMoveAttempts = 20;  // Rounds of moving processes out of the boxes' parent.

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool root_is_cgroup2fs() {
  struct statfs fs {};
  return ::statfs(kCgroupRoot, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

// Value of "key N" in a flat keyed file such as memory.oom_control or pids.events.
int64_t keyed_value(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string k;
  int64_t v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

std::vector<pid_t> procs_of(const std::string& dir) {
  std::vector<pid_t> pids;
  try {
    std::istringstream in(read_text(dir + "/cgroup.procs"));
    pid_t pid = 0;
    while (in >> pid) pids.push_back(pid);
  } catch (const SysError&) {
    // Gone already: nothing to kill.
  }
  return pids;
}

void make_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("mkdir " + dir);
}

// The own dir of controller, or the controller's mount point when the own dir is not visible
// (a container without a cgroup namespace).
std::string parent_dir(CgroupVersion version, const std::vector<ProcCgroupLine>& self,
                       const std::vector<CgroupMount>& mounts, const std::string& controller) {
  for (const CgroupMount& m : mounts) {
    if (version == CgroupVersion::V2 && m.v2 && outside_own_namespace(m)) {
      throw SetupError("cgroup v2: " + m.mount_point + " shows a tree outside this process's "
                       "cgroup namespace (a host's hierarchy bound into a container): mount the "
                       "container's own cgroup2 there (README, Docker: judge-cgroup-setup)");
    }
  }
  std::optional<std::string> dir = own_dir(version, self, mounts, controller);
  if (!dir) {
    throw SetupError("cgroups: " +
                     (version == CgroupVersion::V2 ? std::string("cgroup2")
                                                   : "v1 controller '" + controller + "'") +
                     " is not mounted (see /proc/self/mountinfo)");
  }
  if (exists(*dir + "/cgroup.procs")) return *dir;
  for (const CgroupMount& m : mounts) {
    bool match = version == CgroupVersion::V2
                     ? m.v2
                     : !m.v2 && std::find(m.controllers.begin(), m.controllers.end(), controller) !=
                                    m.controllers.end();
    if (match) return m.mount_point;
  }
  return *dir;
}

}  // namespace

Cgroups::Cgroups(const std::string& box_name) : name_(box_name) {
  std::string self_text = read_text("/proc/self/cgroup");
  version_ = detect_version(self_text, root_is_cgroup2fs());
  files_ = cgroup_files(version_);
  std::vector<ProcCgroupLine> self = parse_proc_cgroup(self_text);
  std::vector<CgroupMount> mounts = parse_cgroup_mounts(read_text("/proc/self/mountinfo"));
  std::string leaf = "/judge-box-" + box_name;
  if (version_ == CgroupVersion::V2) {
    parent_ = boxes_parent(parent_dir(version_, self, mounts, ""));
    memory_ = pids_ = cpu_ = parent_ + leaf;
    dirs_ = {memory_};
  } else {
    memory_ = parent_dir(version_, self, mounts, files_.v1_controllers[0]) + leaf;
    pids_ = parent_dir(version_, self, mounts, files_.v1_controllers[1]) + leaf;
    cpu_ = parent_dir(version_, self, mounts, files_.v1_controllers[2]) + leaf;
    dirs_ = {memory_, pids_, cpu_};
  }
}

// v2's "no internal processes" rule: controllers can be enabled for children only in a cgroup
// without processes (the root excepted), and our cgroup holds the worker and us. As the owner of
// a delegated cgroup does (systemd's Delegate=yes, a container's own cgroup), the processes move
// into the leaf kProcessesLeaf and the boxes become its siblings; helpers started later find
// themselves in that leaf and use its parent (Cgroups::Cgroups).
void Cgroups::enable_v2_controllers() {
  const std::string control = parent_ + "/cgroup.subtree_control";
  std::string missing = missing_controllers(read_text(control));
  if (missing.empty()) return;
  if (std::string absent = unavailable_controllers(read_text(parent_ + "/cgroup.controllers"));
      !absent.empty()) {
    throw SetupError("cgroup v2: " + parent_ + " lacks the controller(s) " + absent +
                     ": its parent must delegate memory, pids and cpu (systemd: Delegate=yes in "
                     "the worker's unit; Docker: see README, Docker on cgroup v2)");
  }
  const std::string leaf = parent_ + "/" + kProcessesLeaf;
  for (int attempt = 0;; ++attempt) {
    try {
      write_text(control, missing);
      return;
    } catch (const SysError& e) {
      if (e.err() != EBUSY || attempt == kMoveAttempts) {
        throw SetupError("cgroup v2: cannot enable '" + missing + "' in " + control + ": " +
                         e.what());
      }
    }
    // Processes forked meanwhile appear in the listing of the next attempt.
    make_dir(leaf);
    for (pid_t pid : procs_of(parent_)) {
      try {
        write_text(leaf + "/cgroup.procs", std::to_string(pid));
      } catch (const SysError& e) {
        if (e.err() != ESRCH) throw;  // It exited meanwhile.
      }
    }
  }
}

void Cgroups::create() {
  remove();  // Leftovers of a crashed server; whatever stays is reused.
  // v2: the leaf an earlier server of this slot moved itself into (it cannot remove it while it
  // sits there; empty once that server is gone).
  if (version_ == CgroupVersion::V2) ::rmdir(server_leaf().c_str());
  if (version_ == CgroupVersion::V2) enable_v2_controllers();
  for (const auto& dir : dirs_) make_dir(dir);
  current_ = {};
}

void Cgroups::attach(pid_t pid) {
  for (const auto& dir : dirs_) write_text(dir + "/cgroup.procs", std::to_string(pid));
}

void Cgroups::set_limits(const CgroupLimits& limits) {
  if (limits.memory_bytes != current_.memory_bytes) {
    std::string mem = std::to_string(limits.memory_bytes);
    const std::string swap_file = memory_ + "/" + files_.swap_limit;
    if (!files_.swap_limit_is_total) {
      write_text(memory_ + "/" + files_.memory_limit, mem);
      write_text_if_exists(swap_file, "0");  // v2: swap is limited separately; allow none.
    } else {
      // v1 memsw (RAM+swap) must never be below the plain limit: raise it first, lower it last.
      bool raising = current_.memory_bytes != 0 && limits.memory_bytes > current_.memory_bytes;
      if (raising) write_text_if_exists(swap_file, mem);
      write_text(memory_ + "/" + files_.memory_limit, mem);
      if (!raising) write_text_if_exists(swap_file, mem);
    }
    current_.memory_bytes = limits.memory_bytes;
  }
  if (limits.pids_max != current_.pids_max) {
    write_text(pids_ + "/" + files_.pids_max, std::to_string(limits.pids_max));
    current_.pids_max = limits.pids_max;
  }
}

void Cgroups::reset_counters() {
  for (const auto& file : files_.resets) {
    const std::string& dir = file.rfind("cpuacct.", 0) == 0 ? cpu_ : memory_;
    write_text(dir + "/" + file, "0");
  }
  cpu_baseline_ns_ = files_.cpu_usage_resettable ? 0 : raw_cpu_ns();
  baseline_ = raw_counters();
}

int64_t Cgroups::raw_cpu_ns() const {
  std::string text = read_text(cpu_ + "/" + files_.cpu_usage);
  int64_t units =
      files_.cpu_usage_key.empty() ? std::stoll(text) : keyed_value(text, files_.cpu_usage_key);
  return units * files_.cpu_usage_ns_per_unit;
}

int64_t Cgroups::cpu_ns() const { return raw_cpu_ns() - cpu_baseline_ns_; }

int64_t Cgroups::memory_in_use_kib() const {
  // usage would include page cache (e.g. the program's own output file); anonymous + tmpfs
  // memory is what the program really holds.
  std::string stat = read_text(memory_ + "/" + files_.memory_stat);
  int64_t bytes = 0;
  for (const auto& key : files_.memory_in_use_keys) bytes += keyed_value(stat, key);
  return bytes / 1024;
}

CgroupCounters Cgroups::raw_counters() const {
  CgroupCounters c;
  c.oom_kills = keyed_value(read_text(memory_ + "/" + files_.oom_events), files_.oom_kill_key);
  c.pids_max_events = keyed_value(read_text(pids_ + "/" + files_.pids_events), files_.pids_max_key);
  return c;
}

CgroupCounters Cgroups::counters() const {
  CgroupCounters now = raw_counters();
  return {now.oom_kills - baseline_.oom_kills, now.pids_max_events - baseline_.pids_max_events};
}

void Cgroups::kill_all(pid_t spare) const {
  for (const auto& dir : dirs_) {
    for (pid_t pid : procs_of(dir))
      if (pid != spare) ::kill(pid, SIGKILL);
  }
}

bool Cgroups::remove() const noexcept {
  for (int attempt = 0; attempt < kDrainAttempts; ++attempt) {
    bool all_gone = true;
    for (const auto& dir : dirs_) {
      if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) continue;
      all_gone = false;
      // EBUSY: processes are still in it (or still exiting). Kill and retry.
      for (pid_t pid : procs_of(dir)) ::kill(pid, SIGKILL);
    }
    if (all_gone) return true;
    ::usleep(kDrainSleepUs);
  }
  return false;
}

}  // namespace judge_box
