#include "host_state.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hostile {
namespace fs = std::filesystem;
namespace {

constexpr time_t kCanaryMtime = 1000000000;  // 2001: no program run now can produce it.
constexpr const char* kCanaryText = "canary: the box must not change this\n";

// Mount points of the hierarchies that a /proc/self/cgroup line names.
std::vector<fs::path> hierarchy_dirs(const std::string& controllers) {
  if (controllers.empty()) {  // cgroup2: only if mounted at the usual place.
    if (fs::exists("/sys/fs/cgroup/cgroup.controllers")) return {"/sys/fs/cgroup"};
    return {};
  }
  std::vector<fs::path> dirs{fs::path("/sys/fs/cgroup") / controllers};
  std::istringstream in(controllers);
  std::string c;
  while (std::getline(in, c, ',')) {
    if (c.rfind("name=", 0) == 0) c = c.substr(5);
    dirs.push_back(fs::path("/sys/fs/cgroup") / c);
  }
  return dirs;
}

}  // namespace



std::vector<int> processes_of_uid(int uid) {
  std::vector<int> pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    // A process may exit between listing and reading: an empty status is just skipped.
    std::istringstream status(read_file(entry.path() / "status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) != 0) continue;
      int real_uid = -1;
      std::istringstream(line.substr(4)) >> real_uid;
      if (real_uid == uid) pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

std::vector<fs::path> cgroups_named_like(const std::string& tag) {
  std::vector<fs::path> found;
  std::istringstream lines(read_file("/proc/self/cgroup"));
  std::string line;
  while (std::getline(lines, line)) {
    size_t c1 = line.find(':');
    size_t c2 = line.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    std::string own = line.substr(c2 + 1);
    for (const fs::path& root : hierarchy_dirs(line.substr(c1 + 1, c2 - c1 - 1))) {
      // judge-box falls back to the hierarchy's root when our own cgroup is not visible.
      for (const fs::path& base : {root / own.substr(1), root}) {
        std::error_code ec;
        if (!fs::is_directory(base, ec)) continue;
        for (auto it = fs::recursive_directory_iterator(
                 base, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
          if (it->is_directory(ec) &&
              it->path().filename().string().find(tag) != std::string::npos) {
            found.push_back(it->path());
          }
        }
      }
    }
  }
  return found;
}

Canary::Canary(const fs::path& dir) : dir_(dir) {
  write_file(file(), kCanaryText);
  fs::permissions(file(), fs::perms(0644));
  timeval times[2] = {{kCanaryMtime, 0}, {kCanaryMtime, 0}};
  if (::utimes(file().c_str(), times) != 0) {
    throw std::runtime_error(std::string("utimes canary: ") + std::strerror(errno));
  }
  before_ = snapshot();
}

std::string Canary::snapshot() const {
  std::ostringstream s;
  struct stat st {};
  if (::stat(file().c_str(), &st) != 0) return "canary missing";
  s << "mode=" << std::oct << st.st_mode << std::dec << " uid=" << st.st_uid
    << " size=" << st.st_size << " mtime=" << st.st_mtim.tv_sec << " content=" << read_file(file())
    << " listing=";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) s << entry.path().filename() << ",";
  return s.str();
}

std::string Canary::changes() const {
  std::string now = snapshot();
  return now == before_ ? "" : "before: " + before_ + "\nafter:  " + now;
}

std::string process_trouble(pid_t pid) {
  std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  if (status.empty()) return "gone";
  size_t at = status.find("State:");
  if (at == std::string::npos) return "no State line";
  std::string state = status.substr(at, status.find('\n', at) - at);
  size_t letter = state.find_first_not_of(" \t", sizeof "State:" - 1);
  if (letter == std::string::npos) return state;
  char c = state[letter];
  if (c == 'T' || c == 't' || c == 'Z' || c == 'X') return state;
  return "";
}

}  // namespace hostile
