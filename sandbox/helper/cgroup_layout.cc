#include "cgroup_layout.h"

#include <algorithm>
#include <sstream>

namespace judge_box {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// path relative to root when path is root or below it ("/a/b" under "/a" -> "/b").
std::optional<std::string> relative(const std::string& path, const std::string& root) {
  if (root == "/") return path;
  if (path == root) return std::string();
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
      path[root.size()] == '/')
    return path.substr(root.size());
  return std::nullopt;
}

}  // namespace

std::vector<ProcCgroupLine> parse_proc_cgroup(const std::string& text) {
  std::vector<ProcCgroupLine> lines;
  for (const std::string& line : split(text, '\n')) {
    size_t c1 = line.find(':');
    size_t c2 = c1 == std::string::npos ? c1 : line.find(':', c1 + 1);
    if (c2 == std::string::npos) continue;
    ProcCgroupLine l;
    try {
      l.id = std::stoi(line.substr(0, c1));
    } catch (const std::exception&) {
      continue;
    }
    std::string list = line.substr(c1 + 1, c2 - c1 - 1);
    if (!list.empty()) l.controllers = split(list, ',');
    l.path = line.substr(c2 + 1);
    lines.push_back(std::move(l));
  }
  return lines;
}

std::vector<CgroupMount> parse_cgroup_mounts(const std::string& mountinfo) {
  std::vector<CgroupMount> mounts;
  for (const std::string& line : split(mountinfo, '\n')) {
    // id parent major:minor root mount_point options [optional...] - fstype source super_options
    std::vector<std::string> f = split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) continue;
    const std::string& fstype = dash[1];
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    CgroupMount m;
    m.root = f[3];
    m.mount_point = f[4];
    m.v2 = fstype == "cgroup2";
    if (!m.v2) {
      for (const std::string& opt : split(dash[3], ','))
        if (opt != "rw" && opt != "ro" && opt.find('=') == std::string::npos)
          m.controllers.push_back(opt);
    }
    mounts.push_back(std::move(m));
  }
  return mounts;
}

bool outside_own_namespace(const CgroupMount& mount) {
  return mount.root == "/.." || mount.root.rfind("/../", 0) == 0;
}

CgroupVersion detect_version(const std::string& proc_cgroup, bool root_is_cgroup2fs) {
  if (root_is_cgroup2fs) return CgroupVersion::V2;
  std::vector<ProcCgroupLine> lines = parse_proc_cgroup(proc_cgroup);
  bool only_unified = !lines.empty() && std::all_of(lines.begin(), lines.end(), [](const auto& l) {
    return l.id == 0 && l.controllers.empty();
  });
  return only_unified ? CgroupVersion::V2 : CgroupVersion::V1;
}

std::optional<std::string> own_dir(CgroupVersion version, const std::vector<ProcCgroupLine>& self,
                                   const std::vector<CgroupMount>& mounts,
                                   const std::string& controller) {
  bool v2 = version == CgroupVersion::V2;
  for (const CgroupMount& m : mounts) {
    if (m.v2 != v2 || (!v2 && !contains(m.controllers, controller))) continue;
    for (const ProcCgroupLine& l : self) {
      bool matches =
          v2 ? (l.id == 0 && l.controllers.empty()) : contains(l.controllers, controller);
      if (!matches) continue;
      // Outside the mount's root (a container without a cgroup namespace sees host paths):
      // the mount point is the closest dir we may use.
      std::optional<std::string> rel = relative(l.path, m.root);
      std::string dir = m.mount_point + (rel ? *rel : std::string());
      while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
      return dir;
    }
  }
  return std::nullopt;
}

CgroupFiles cgroup_files(CgroupVersion version) {
  CgroupFiles f;
  f.pids_max = "pids.max";
  f.memory_stat = "memory.stat";
  f.oom_kill_key = "oom_kill";
  f.pids_events = "pids.events";
  f.pids_max_key = "max";
  if (version == CgroupVersion::V1) {
    f.memory_limit = "memory.limit_in_bytes";
    f.swap_limit = "memory.memsw.limit_in_bytes";
    f.cpu_usage = "cpuacct.usage";
    f.memory_in_use_keys = {"rss", "shmem"};
    f.oom_events = "memory.oom_control";
    f.resets = {"memory.max_usage_in_bytes", "memory.failcnt", "cpuacct.usage"};
    f.v1_controllers[0] = "memory";
    f.v1_controllers[1] = "pids";
    f.v1_controllers[2] = "cpuacct";
  } else {
    f.memory_limit = "memory.max";
    f.swap_limit = "memory.swap.max";
    f.swap_limit_is_total = false;
    f.cpu_usage = "cpu.stat";
    f.cpu_usage_key = "usage_usec";
    f.cpu_usage_ns_per_unit = 1000;
    f.cpu_usage_resettable = false;
    f.memory_in_use_keys = {"anon", "shmem"};
    f.oom_events = "memory.events";
  }
  return f;
}

std::string missing_controllers(const std::string& subtree_control) {
  std::vector<std::string> enabled;
  std::istringstream in(subtree_control);
  for (std::string c; in >> c;) enabled.push_back(c);
  std::string missing;
  for (const char* c : kV2Controllers) {
    if (contains(enabled, c)) continue;
    if (!missing.empty()) missing += ' ';
    missing += std::string("+") + c;
  }
  return missing;
}

std::string unavailable_controllers(const std::string& controllers) {
  std::vector<std::string> available;
  std::istringstream in(controllers);
  for (std::string c; in >> c;) available.push_back(c);
  std::string absent;
  for (const char* c : kV2Controllers) {
    if (contains(available, c)) continue;
    if (!absent.empty()) absent += ' ';
    absent += c;
  }
  return absent;
}

std::string boxes_parent(const std::string& own) {
  const std::string suffix = std::string("/") + kProcessesLeaf;
  if (own.size() > suffix.size() &&
      own.compare(own.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return own.substr(0, own.size() - suffix.size());
  }
  return own;
}

}  // namespace judge_box
