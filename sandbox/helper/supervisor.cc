#include "supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "cgroup.h"
#include "child.h"
#include "plan.h"
#include "sys_util.h"

namespace judge_box {
namespace {

constexpr const char* kRunDir = "/run/judge-box";
constexpr int kPollMs = 5;
// Kill at limit + headroom; the judge classifies against the exact limit.
constexpr int64_t kCpuHeadroomMinMs = 50;
constexpr int64_t kCpuHeadroomDivisor = 10;  // +10%
constexpr int64_t kMemHeadroomMinKib = 2048;
constexpr int64_t kMemHeadroomDivisor = 16;  // +6.25%

// The per-slot mount point of the box's root. Only init's private mount namespace ever mounts on
// it, so on the host it is an empty dir: a crashed run leaves at most that dir behind.
class RootDir {
 public:
  explicit RootDir(const std::string& name) : path_(std::string(kRunDir) + "/" + name) {
    if (::mkdir(kRunDir, 0755) != 0 && errno != EEXIST)
      throw_errno(std::string("mkdir ") + kRunDir);
    ::umount2(path_.c_str(), MNT_DETACH);  // Never expected; harmless when nothing is mounted.
    if (::mkdir(path_.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("mkdir " + path_);
  }
  ~RootDir() { ::rmdir(path_.c_str()); }
  RootDir(const RootDir&) = delete;
  RootDir& operator=(const RootDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The stdio files, opened as root on the host; only the fds enter the box.
struct Stdio {
  Fd fds[3];
};

// Moves fd above 2 so dup2() onto 0-2 in the program never clobbers another of them.
Fd high_fd(int fd, const std::string& step) {
  if (fd < 0) throw_errno(step);
  Fd owned(fd);
  if (fd > 2) return owned;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (moved < 0) throw_errno(step);
  return Fd(moved);
}

Stdio open_stdio(const Options& o) {
  auto path = [](const std::string& p) { return p.empty() ? std::string("/dev/null") : p; };
  Stdio s;
  s.fds[0] = high_fd(::open(path(o.stdin_path).c_str(), O_RDONLY | O_CLOEXEC),
                     "open --stdin " + o.stdin_path);
  int out_flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  s.fds[1] = high_fd(::open(path(o.stdout_path).c_str(), out_flags, 0640),
                     "open --stdout " + o.stdout_path);
  // The same file for both streams means 2>&1: one open file description keeps their order.
  if (!o.stdout_path.empty() && o.stderr_path == o.stdout_path)
    s.fds[2] = high_fd(::fcntl(s.fds[1].get(), F_DUPFD_CLOEXEC, 3), "dup --stderr");
  else
    s.fds[2] = high_fd(::open(path(o.stderr_path).c_str(), out_flags, 0640),
                       "open --stderr " + o.stderr_path);
  return s;
}

void prepare_work_dir(const Options& o) {
  struct stat st {};
  if (::stat(o.work_dir.c_str(), &st) != 0) throw_errno("--work-dir " + o.work_dir);
  if (!S_ISDIR(st.st_mode)) throw SysError("--work-dir " + o.work_dir, ENOTDIR);
  // A writable /box must be writable by the box's uid; only the top dir changes hands.
  if (o.work_dir_rw && ::chown(o.work_dir.c_str(), box_uid(o), box_uid(o)) != 0) {
    throw_errno("chown --work-dir " + o.work_dir);
  }
}

// Owns the box's init: kills and reaps it on every exit path.
class InitProcess {
 public:
  explicit InitProcess(pid_t pid) : pid_(pid) {}
  ~InitProcess() {
    if (pid_ > 0) kill_and_reap();
  }
  InitProcess(const InitProcess&) = delete;
  InitProcess& operator=(const InitProcess&) = delete;
  pid_t pid() const { return pid_; }
  // Killing init makes the kernel kill the whole pid namespace.
  int kill_and_reap() {
    ::kill(pid_, SIGKILL);
    return reap();
  }
  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, __WALL) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

pid_t start_init(ChildPlan& plan, Pipe& go, Pipe& report) {
  plan.go_fd = go.read.get();
  plan.report_fd = report.write.get();
  plan.close_in_child[0] = go.write.get();
  plan.close_in_child[1] = report.read.get();
  // Our next child becomes pid 1 of a new pid namespace; the helper itself stays outside.
  if (::unshare(CLONE_NEWPID) != 0) throw_errno("unshare pid namespace");
  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork init");
  if (pid == 0) run_init(plan);
  go.read.reset();
  report.write.reset();
  return pid;
}

struct Watch {
  bool got_report = false;
  InitReport report;
  std::string killed_for;  // Empty unless the helper enforced cpu or wall.
  int64_t wall_ms = 0;
  int64_t peak_kib = 0;
};

// Reads the report when the pipe is readable. Returns true when the pipe is done (report or EOF).
bool take_report(int fd, Watch& w) {
  ssize_t n = ::read(fd, &w.report, sizeof w.report);
  if (n < 0 && errno == EINTR) return false;
  w.got_report = n == static_cast<ssize_t>(sizeof w.report);
  return true;
}

Watch watch(const Options& o, const Cgroups& cg, InitProcess& init, int report_fd) {
  Watch w;
  const int64_t start = monotonic_ms();
  const int64_t cpu_kill_ms =
      o.cpu_ms + std::max(kCpuHeadroomMinMs, o.cpu_ms / kCpuHeadroomDivisor);
  for (;;) {
    pollfd pfd{report_fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, kPollMs);
    if (ready < 0 && errno != EINTR) throw_errno("poll");
    w.wall_ms = monotonic_ms() - start;
    w.peak_kib = std::max(w.peak_kib, cg.memory_in_use_kib());
    if (ready > 0 && take_report(report_fd, w)) break;
    if (w.wall_ms >= o.wall_ms)
      w.killed_for = "wall";
    else if (cg.cpu_ns() / 1000000 >= cpu_kill_ms)
      w.killed_for = "cpu";
    if (!w.killed_for.empty()) {
      init.kill_and_reap();
      cg.kill_all();
      break;
    }
  }
  return w;
}

bool reached_limit(const Fd& fd, int64_t limit_bytes) {
  struct stat st {};
  return ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= limit_bytes;
}

void set_status(Facts& f, const Watch& w, int init_status, const CgroupCounters& c) {
  if (w.got_report) {
    int st = w.report.wait_status;
    f.exited = WIFEXITED(st);
    f.exit_code = f.exited ? WEXITSTATUS(st) : 0;
    f.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return;
  }
  // No report: we killed the tree, or the memory limit killed init itself.
  bool oom_killed_init =
      WIFSIGNALED(init_status) && WTERMSIG(init_status) == SIGKILL && c.oom_kills > 0;
  if (w.killed_for.empty() && !oom_killed_init) {
    throw SetupError("init: died without a report (wait status " + std::to_string(init_status) +
                     ")");
  }
  f.signal = SIGKILL;
}

std::string classify(const Facts& f, const Watch& w, const CgroupCounters& c) {
  if (f.oom_killed) return "memory";
  if (c.pids_max_events > 0) return "processes";
  if (f.output_truncated || f.signal == SIGXFSZ) return "output";
  if (w.killed_for == "cpu" || f.signal == SIGXCPU) return "cpu";
  if (w.killed_for == "wall") return "wall";
  return "none";
}

Facts gather(const Options& o, const Cgroups& cg, const Watch& w, int init_status,
             const Stdio& stdio) {
  if (w.got_report && w.report.kind == InitReport::kSetupFailed) {
    std::string step(w.report.step, ::strnlen(w.report.step, sizeof w.report.step));
    throw SysError("box setup: " + step, w.report.err);
  }
  Facts f;
  CgroupCounters counters = cg.counters();
  set_status(f, w, init_status, counters);
  f.wall_ms = w.wall_ms;
  f.cpu_ms = cg.cpu_ns() / 1000000;
  f.peak_memory_kib = std::max(w.peak_kib, static_cast<int64_t>(w.report.max_rss_kib));
  f.oom_killed = counters.oom_kills > 0;
  int64_t out_limit = o.out_kib * 1024;
  f.output_truncated =
      reached_limit(stdio.fds[1], out_limit) || reached_limit(stdio.fds[2], out_limit);
  f.limit_hit = classify(f, w, counters);
  return f;
}

// Removes the box's cgroups on every exit path (after init is reaped: declared before it).
struct CgroupCleanup {
  const Cgroups& cg;
  ~CgroupCleanup() { cg.remove(); }
};

}  // namespace

Facts run_box(const Options& o) {
  Cgroups cg(box_name(o));
  RootDir root(box_name(o));
  prepare_work_dir(o);
  Stdio stdio = open_stdio(o);
  ChildPlan plan = make_plan(o, root.path());
  for (int i = 0; i < 3; ++i) plan.stdio[i] = stdio.fds[i].get();
  int64_t mem_kib = o.mem_kib + std::max(kMemHeadroomMinKib, o.mem_kib / kMemHeadroomDivisor);
  CgroupCleanup cleanup{cg};
  cg.prepare({mem_kib * 1024, o.procs + 1});  // +1: init.

  Pipe go = make_pipe("pipe");
  Pipe report = make_pipe("pipe");
  InitProcess init(start_init(plan, go, report));
  cg.attach(init.pid());
  if (::write(go.write.get(), "g", 1) != 1) throw_errno("start init");
  Watch w = watch(o, cg, init, report.read.get());
  int init_status = init.pid() > 0 ? init.reap() : 0;
  return gather(o, cg, w, init_status, stdio);
}

std::string to_json(const Facts& f) {
  auto b = [](bool v) { return v ? "true" : "false"; };
  char line[512];
  std::snprintf(
      line, sizeof line,
      "{\"exited\":%s,\"exit_code\":%d,\"signal\":%d,\"cpu_ms\":%lld,\"wall_ms\":%lld,"
      "\"peak_memory_kib\":%lld,\"oom_killed\":%s,\"limit_hit\":\"%s\",\"output_truncated\":%s}",
      b(f.exited), f.exit_code, f.signal, static_cast<long long>(f.cpu_ms),
      static_cast<long long>(f.wall_ms), static_cast<long long>(f.peak_memory_kib), b(f.oom_killed),
      f.limit_hit.c_str(), b(f.output_truncated));
  return line;
}

}  // namespace judge_box
