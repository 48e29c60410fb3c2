// Command line of judge-box: `judge-box [options] -- argv...`.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace judge_box {

struct Options {
  int slot = 0;              // Box slot: uid/gid 61000+slot, cgroup and root dir names.
  std::string tag = "box";   // Name prefix so that tests and workers never collide.
  int64_t cpu_ms = 1000;     // CPU time of the whole tree.
  int64_t wall_ms = 3000;    // Wall time from start to exit.
  int64_t mem_kib = 262144;  // RAM + swap of the whole tree.
  int procs = 64;            // Processes and threads alive at once.
  int64_t out_kib = 65536;   // Size of stdout, of stderr and of any written file.
  int open_files = 64;       // RLIMIT_NOFILE.
  std::string work_dir;      // Host dir shown as /box (required).
  bool work_dir_rw = false;  // /box writable; the helper chowns work_dir to the box uid.
  std::string stdin_path;    // Host paths opened by the helper; empty means /dev/null.
  std::string stdout_path;
  std::string stderr_path;
  std::vector<std::string> env;   // KEY=VALUE; nothing else is inherited.
  std::vector<std::string> argv;  // The program; argv[0] is searched in the env's PATH.
  bool help = false;
  bool serve = false;  // --serve: answer run requests on stdin/stdout (see server.h).
};

// A bad command line; the message names the option.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses and validates argv. Throws UsageError.
Options parse_options(int argc, char** argv);
// Parses one run request of a server: `[options] -- argv...` without the program name. The
// server's slot and tag always win over the request's.
Options parse_request(const Options& server, const std::vector<std::string>& args);
void print_usage(std::FILE* out);

// The box's unprivileged uid (also used as gid).
constexpr int kBaseUid = 61000;
constexpr int kMaxSlot = 999;
inline int box_uid(const Options& o) { return kBaseUid + o.slot; }
// "<tag>-<slot>": names the cgroups and the per-run root dir.
inline std::string box_name(const Options& o) { return o.tag + "-" + std::to_string(o.slot); }

}  // namespace judge_box
