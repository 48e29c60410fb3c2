// What the box's init and program processes need, prepared by the helper BEFORE fork, and the
// report they send back. After fork the children only read this plan and make system calls:
// no allocation, no exceptions (see child.h).
#pragma once

#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace judge_box {

struct RlimitSetting {
  int resource = 0;
  rlimit value{};
};

// A host path bind-mounted read-only into the new root at `inside` (relative to it).
struct ReadOnlyBind {
  std::string host;
  std::string inside;
  bool is_dir = true;
};

struct ChildPlan {
  // Filesystem (built by init inside its own mount namespace).
  std::string root_dir;                // Empty host dir; a tmpfs is mounted on it, then pivot_root.
  std::vector<ReadOnlyBind> ro_binds;  // /usr, /etc/alternatives, ...
  std::string work_dir;                // Host dir shown at /box.
  bool work_dir_rw = false;
  std::string tmp_options;  // tmpfs options of /tmp ("size=...,mode=1777").
  std::string passwd;       // Contents of /etc/passwd and /etc/group.
  std::string group;

  // Program.
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<RlimitSetting> rlimits;
  std::vector<sock_filter> seccomp;  // BPF program, loaded last before execve.
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;  // Null-terminated views of the storage above.
  std::vector<char*> envp;
  std::string path;  // PATH used to find argv[0].
  int stdio[3] = {-1, -1, -1};

  // Channels with the helper.
  int go_fd = -1;                    // Read end: one byte once init is in the box's cgroups.
  int report_fd = -1;                // Write end: one InitReport.
  int close_in_child[2] = {-1, -1};  // The helper's ends of those pipes.
};

// Sent by init to the helper over the report pipe (and by the program child to init before
// execve when its setup fails). Fixed size so that one read() gets it whole.
struct InitReport {
  enum Kind : int32_t { kSetupFailed = 1, kProgramDone = 2 };
  int32_t kind = 0;
  int32_t err = 0;          // errno of the failed step.
  int32_t wait_status = 0;  // Of the program, as from wait4().
  int32_t reserved = 0;
  int64_t max_rss_kib = 0;  // Largest RSS of any process of the tree that init reaped.
  char step[64] = {};       // Failed step, for kSetupFailed.
};

}  // namespace judge_box
