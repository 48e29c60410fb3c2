#include "cgroup.h"

#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <sstream>
#include <vector>

#include "sys_util.h"

namespace judge_box {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";
constexpr int kDrainAttempts = 1000;  // x kDrainSleepUs: give up removing after ~2 s.
constexpr useconds_t kDrainSleepUs = 2000;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void reject_cgroup_v2() {
  struct statfs fs {};
  if (::statfs(kCgroupRoot, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
    throw SetupError("cgroups: cgroup v2 not supported yet");
  }
}

// The helper's own cgroup path for controller, from /proc/self/cgroup ("4:memory:/a/b").
std::string own_path(const std::string& proc_cgroup, const std::string& controller) {
  std::istringstream lines(proc_cgroup);
  std::string line;
  while (std::getline(lines, line)) {
    size_t c1 = line.find(':');
    size_t c2 = line.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    std::string list = "," + line.substr(c1 + 1, c2 - c1 - 1) + ",";
    if (list.find("," + controller + ",") != std::string::npos) return line.substr(c2 + 1);
  }
  throw SetupError("cgroups: controller '" + controller + "' not found in /proc/self/cgroup");
}

// "<mount>/<own path>/judge-box-<name>". In a container without a cgroup namespace the own path
// may not exist under the mount; then the mount root is the closest thing we may use.
std::string box_dir(const std::string& proc_cgroup, const std::string& controller,
                    const std::string& name) {
  std::string mount = std::string(kCgroupRoot) + "/" + controller;
  if (!exists(mount + "/cgroup.procs")) {
    throw SetupError("cgroups: v1 controller '" + controller + "' is not mounted at " + mount);
  }
  std::string parent = mount + own_path(proc_cgroup, controller);
  if (!exists(parent + "/cgroup.procs")) parent = mount;
  return parent + "/judge-box-" + name;
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

}  // namespace

Cgroups::Cgroups(const std::string& box_name) {
  reject_cgroup_v2();
  std::string self = read_text("/proc/self/cgroup");
  memory_ = box_dir(self, "memory", box_name);
  pids_ = box_dir(self, "pids", box_name);
  cpuacct_ = box_dir(self, "cpuacct", box_name);
}

void Cgroups::create() {
  remove();  // Leftovers of a crashed server; whatever stays is reused.
  for (const auto& dir : {memory_, pids_, cpuacct_}) make_dir(dir);
  current_ = {};
}

void Cgroups::set_limits(const CgroupLimits& limits) {
  if (limits.memory_bytes != current_.memory_bytes) {
    // memsw must never be below the plain limit: raise memsw first, lower it last.
    std::string mem = std::to_string(limits.memory_bytes);
    bool raising = current_.memory_bytes != 0 && limits.memory_bytes > current_.memory_bytes;
    if (raising) write_text_if_exists(memory_ + "/memory.memsw.limit_in_bytes", mem);
    write_text(memory_ + "/memory.limit_in_bytes", mem);
    if (!raising) write_text_if_exists(memory_ + "/memory.memsw.limit_in_bytes", mem);
    current_.memory_bytes = limits.memory_bytes;
  }
  if (limits.pids_max != current_.pids_max) {
    write_text(pids_ + "/pids.max", std::to_string(limits.pids_max));
    current_.pids_max = limits.pids_max;
  }
}

void Cgroups::reset_counters() {
  write_text(memory_ + "/memory.max_usage_in_bytes", "0");
  write_text(memory_ + "/memory.failcnt", "0");
  write_text(cpuacct_ + "/cpuacct.usage", "0");
  baseline_ = raw_counters();
}

void Cgroups::attach(pid_t pid) {
  for (const auto& dir : {memory_, pids_, cpuacct_}) {
    write_text(dir + "/cgroup.procs", std::to_string(pid));
  }
}

int64_t Cgroups::cpu_ns() const { return std::stoll(read_text(cpuacct_ + "/cpuacct.usage")); }

int64_t Cgroups::memory_in_use_kib() const {
  // usage_in_bytes would include page cache (e.g. the program's own output file); rss + shmem
  // is what the program really holds.
  std::string stat = read_text(memory_ + "/memory.stat");
  return (keyed_value(stat, "rss") + keyed_value(stat, "shmem")) / 1024;
}

CgroupCounters Cgroups::raw_counters() const {
  CgroupCounters c;
  c.oom_kills = keyed_value(read_text(memory_ + "/memory.oom_control"), "oom_kill");
  c.pids_max_events = keyed_value(read_text(pids_ + "/pids.events"), "max");
  return c;
}

CgroupCounters Cgroups::counters() const {
  CgroupCounters now = raw_counters();
  return {now.oom_kills - baseline_.oom_kills, now.pids_max_events - baseline_.pids_max_events};
}

void Cgroups::kill_all(pid_t spare) const {
  for (const auto& dir : {pids_, memory_, cpuacct_}) {
    for (pid_t pid : procs_of(dir))
      if (pid != spare) ::kill(pid, SIGKILL);
  }
}

bool Cgroups::remove() const noexcept {
  for (int attempt = 0; attempt < kDrainAttempts; ++attempt) {
    bool all_gone = true;
    for (const auto& dir : {memory_, pids_, cpuacct_}) {
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
