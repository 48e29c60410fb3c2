// sandbox: run ONE untrusted program under limits and report facts about the run.
//
// No verdicts live here: the judge decides what the facts mean. A failure of the sandbox itself
// (cannot create a cgroup, the helper crashed, ...) is thrown as BoxError and never reported as
// the program's behaviour.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sandbox {

// Limits enforced on one run. Enforcement has headroom (the program is killed a little after the
// limit); the caller classifies against the exact numbers.
struct Limits {
  int64_t cpu_ms = 1000;        // CPU time of the whole process tree.
  int64_t wall_ms = 3000;       // Wall-clock time from start to exit.
  int64_t memory_kib = 262144;  // Memory (RAM + swap) of the whole process tree.
  int processes = 64;           // Processes and threads alive at once.
  int64_t output_kib = 65536;   // Size of stdout, and separately of stderr, and of any file.
  int open_files = 64;          // RLIMIT_NOFILE.
};

enum class WorkDirAccess { ReadOnly, ReadWrite };

// One run. Paths are on the host; the work dir appears as /box inside the sandbox and is the
// program's current directory. Empty stdin/stdout/stderr paths mean /dev/null.
// /box is a tmpfs sized by the memory limit (its pages count against it), filled with copies of
// the work dir's regular files (top level only; symlinks and subdirs are skipped). ReadOnly: /box
// is read-only. ReadWrite: /box is writable by the box's uid and its regular files are copied
// back into the work dir after the run (owned by root, exec bit kept, symlinks never followed).
struct RunSpec {
  std::vector<std::string> argv;  // argv[0] resolved inside the sandbox (absolute or via PATH).
  std::string work_dir;
  WorkDirAccess work_dir_access = WorkDirAccess::ReadOnly;
  std::string stdin_path;
  std::string stdout_path;
  std::string stderr_path;
  std::vector<std::string> env;  // KEY=VALUE; nothing is inherited from the caller.
  Limits limits;
};

enum class LimitHit { None, CpuTime, WallTime, Memory, Output, Processes };

// Facts about a finished run.
struct RunResult {
  bool exited = false;  // Exited normally; exit_code is valid.
  int exit_code = 0;
  int signal = 0;      // Terminating signal when !exited.
  int64_t cpu_ms = 0;  // User + system CPU of the process tree.
  int64_t wall_ms = 0;
  int64_t peak_memory_kib = 0;
  bool oom_killed = false;              // The memory limit killed a process of the tree.
  LimitHit limit_hit = LimitHit::None;  // The limit the sandbox enforced, if any.
  bool output_truncated = false;        // stdout or stderr reached output_kib.
  // CLOCK_MONOTONIC (microseconds) when the program ended or was killed: orders concurrent runs.
  int64_t end_us = 0;
};

struct BoxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where the judge-box helper lives and which slot (uid, cgroup and box names) a Box uses. Two
// live Boxes must never share a slot and tag.
struct BoxConfig {
  std::string helper_path;  // Path to the judge-box binary.
  int slot = 0;             // Distinct per concurrently running box on this host.
  std::string tag = "box";  // Prefix of cgroup/box names; lets tests and workers not collide.
};

// A reusable box for one slot. Not thread-safe: one Box per judging thread. The first run starts
// a persistent `judge-box --serve` helper for the slot (restarted transparently if it died);
// the destructor stops it, which leaves nothing behind (processes, cgroups, mounts, files).
// The helper dies with the thread that started it (PR_SET_PDEATHSIG).
class Box {
 public:
  explicit Box(BoxConfig config);
  ~Box();
  Box(Box&& other) noexcept;
  Box& operator=(Box&& other) noexcept;
  Box(const Box&) = delete;
  Box& operator=(const Box&) = delete;

  // Runs spec to completion. Throws BoxError when the sandbox itself failed.
  RunResult run(const RunSpec& spec);
  // Starts the helper now unless it runs (run() does so too). Throws BoxError.
  void start();
  // The cgroup setup the helper found, "v1" or "v2"; empty until a helper started.
  const std::string& cgroup_version() const { return cgroup_version_; }
  const BoxConfig& config() const { return config_; }
  // Pid of the running helper, or -1 (for tests and diagnostics).
  int helper_pid() const;

 private:
  class Server;
  BoxConfig config_;
  std::unique_ptr<Server> server_;
  std::string cgroup_version_;
};

const char* to_string(LimitHit limit);

}  // namespace sandbox
