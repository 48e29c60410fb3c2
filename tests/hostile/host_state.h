// What a hostile program must not change on the host, observed only from outside the sandbox.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "files.h"

namespace hostile {

using testenv::read_file;
using testenv::write_file;

// Pids of host processes (any pid namespace) whose real uid is uid.
std::vector<int> processes_of_uid(int uid);

// Cgroup directories whose name contains tag, searched below every cgroup of this process
// (from /proc/self/cgroup), in every mounted hierarchy.
std::vector<std::filesystem::path> cgroups_named_like(const std::string& tag);

// A file with known content and an old mtime in a directory of its own. unchanged() tells
// what differs, if anything, in the file or the directory's listing.
class Canary {
 public:
  explicit Canary(const std::filesystem::path& dir);
  std::filesystem::path file() const { return dir_ / "canary.txt"; }
  std::string changes() const;  // Empty when untouched.

 private:
  std::string snapshot() const;
  std::filesystem::path dir_;
  std::string before_;
};

// "" if pid is alive and neither stopped nor a zombie; else what is wrong with it.
std::string process_trouble(pid_t pid);

}  // namespace hostile
