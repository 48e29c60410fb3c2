// What the box's init and program processes need, and the reports they send back. The per-slot
// part (binds, seccomp, uid) is prepared once by the server; the zygote (single-threaded) adds
// the per-run part. After the zygote's clone() init only reads this plan and makes system calls;
// failures travel as {step, errno} (see child.h).
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
  // Per slot. The zygote builds the template root once on root_dir (in its private mount
  // namespace) and pivots into it; every init inherits a copy of it.
  std::string root_dir;
  std::vector<ReadOnlyBind> ro_binds;  // /usr, /etc/alternatives, ...
  std::string passwd;                  // Contents of /etc/passwd and /etc/group.
  std::string group;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<sock_filter> seccomp;  // BPF program, loaded last before execve.

  // Per run.
  bool work_dir_rw = false;
  std::string box_options;  // tmpfs options of /box and /tmp ("size=...").
  std::string tmp_options;
  int64_t copy_max_files = 0;  // Copy-out stops after this many files.
  int64_t box_max_bytes = 0;   // A ReadOnly work dir larger than this is a setup failure.
  std::vector<RlimitSetting> rlimits;
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;  // Null-terminated views of the storage above.
  std::vector<char*> envp;
  std::string path;  // PATH used to find argv[0].

  // Fds of one run, received by the zygote from the server.
  int stdio[3] = {-1, -1, -1};
  int report_fd = -1;    // Write end: one InitReport to the server.
  int work_dir_fd = -1;  // O_DIRECTORY fd of the host work dir.
  int control_fd = -1;   // The zygote's socket; init closes it.
};

// Sent by init to the server over the report pipe (and by the program child to init before
// execve when its setup fails), and by the zygote to the server over its control socket.
// Fixed size so that one read() gets it whole.
struct InitReport {
  enum Kind : int32_t {
    kSetupFailed = 1,  // step/err are valid.
    kProgramDone = 2,  // wait_status/max_rss_kib/copied_in_kib are valid.
    kZygoteReady = 3,  // The zygote built the template root.
    kInitExited = 4,   // wait_status is init's.
  };
  int32_t kind = 0;
  int32_t err = 0;          // errno of the failed step.
  int32_t wait_status = 0;  // Of the program (or init), as from wait4().
  int32_t reserved = 0;
  int64_t max_rss_kib = 0;    // Largest RSS of any process of the tree that init reaped.
  int64_t copied_in_kib = 0;  // Work dir bytes copied into /box (tmpfs memory of the cgroup).
  char step[64] = {};         // Failed step, for kSetupFailed.
  int64_t program_end_us = 0;  // CLOCK_MONOTONIC when init reaped the program (kProgramDone).
};

}  // namespace judge_box
