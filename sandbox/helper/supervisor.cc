#include "supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "cgroup.h"
#include "child.h"
#include "plan.h"
#include "sys_util.h"
#include "zygote.h"

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
  // O_NONBLOCK: a FIFO (interactive problems) opens at once instead of waiting for its writer,
  // so two boxes joined by two FIFOs cannot deadlock opening them. Cleared right after.
  s.fds[0] = high_fd(::open(path(o.stdin_path).c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK),
                     "open --stdin " + o.stdin_path);
  int flags = ::fcntl(s.fds[0].get(), F_GETFL);
  if (flags < 0 || ::fcntl(s.fds[0].get(), F_SETFL, flags & ~O_NONBLOCK) < 0)
    throw_errno("fcntl --stdin");
  // Output files are created as root: never follow a symlink someone may have planted there.
  int out_flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW;
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

Fd open_work_dir(const Options& o) {
  int fd = ::open(o.work_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("--work-dir " + o.work_dir);
  return Fd(fd);
}

struct Watch {
  bool got_report = false;
  InitReport report;
  std::string killed_for;  // Empty unless the helper enforced cpu or wall.
  int64_t wall_ms = 0;
  int64_t peak_kib = 0;
  int64_t end_us = 0;
};

// Reads the report when the pipe is readable. Returns true when the pipe is done (report or EOF).
bool take_report(int fd, Watch& w) {
  ssize_t n = ::read(fd, &w.report, sizeof w.report);
  if (n < 0 && errno == EINTR) return false;
  w.got_report = n == static_cast<ssize_t>(sizeof w.report);
  return true;
}

Watch watch(const Options& o, const Cgroups& cg, pid_t zygote, int64_t baseline_kib,
            int report_fd) {
  Watch w;
  const int64_t start = monotonic_ms();
  const int64_t cpu_kill_ms =
      o.cpu_ms + std::max(kCpuHeadroomMinMs, o.cpu_ms / kCpuHeadroomDivisor);
  for (;;) {
    pollfd pfd{report_fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, kPollMs);
    if (ready < 0 && errno != EINTR) throw_errno("poll");
    w.end_us = monotonic_us();
    w.wall_ms = w.end_us / 1000 - start;
    if (ready > 0 && take_report(report_fd, w)) break;
    // Sampled only while the run goes on: a run that ends within one poll is covered by init's
    // max RSS of the tree, and the cgroup read is a good part of a short run's cost.
    if (ready == 0) w.peak_kib = std::max(w.peak_kib, cg.memory_in_use_kib() - baseline_kib);
    if (w.wall_ms >= o.wall_ms)
      w.killed_for = "wall";
    else if (cg.cpu_ns() / 1000000 >= cpu_kill_ms)
      w.killed_for = "cpu";
    if (!w.killed_for.empty()) {
      // Killing init takes the pid namespace down; the zygote reaps it and answers.
      cg.kill_all(zygote);
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
  // The program's own end when init reported it; the kill time when the helper killed it.
  const bool reported_end = w.got_report && w.report.kind == InitReport::kProgramDone &&
                            w.report.program_end_us > 0 && w.killed_for.empty();
  f.end_us = reported_end ? w.report.program_end_us : w.end_us;
  f.cpu_ms = cg.cpu_ns() / 1000000;
  // /box holds copies of the work dir: charged to the cgroup, but not the program's doing.
  int64_t polled = w.peak_kib - (w.got_report ? w.report.copied_in_kib : 0);
  f.peak_memory_kib = std::max(polled, static_cast<int64_t>(w.report.max_rss_kib));
  f.oom_killed = counters.oom_kills > 0;
  int64_t out_limit = o.out_kib * 1024;
  f.output_truncated =
      reached_limit(stdio.fds[1], out_limit) || reached_limit(stdio.fds[2], out_limit);
  f.limit_hit = classify(f, w, counters);
  return f;
}

// Forks the zygote with one end of a SOCK_SEQPACKET pair (message boundaries: one per request).
pid_t start_zygote(const ChildPlan& slot_plan, const Options& server, Fd& control) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    throw_errno("socketpair zygote");
  Fd ours(sv[0]);
  Fd theirs(sv[1]);
  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork zygote");
  if (pid == 0) {
    ours.reset();
    run_zygote(slot_plan, server, theirs.get());
  }
  control = std::move(ours);
  return pid;
}

// Empties the zygote's cached copy of a ReadOnly work dir (see mounts.cc), through its root.
void flush_box_cache(pid_t zygote) {
  std::string cache = "/proc/" + std::to_string(zygote) + "/root/.box-cache";
  std::error_code ignored;
  std::filesystem::remove(cache + "/key", ignored);
  for (const auto& entry : std::filesystem::directory_iterator(cache + "/files", ignored))
    std::filesystem::remove(entry.path(), ignored);
}

}  // namespace

struct Slot::State {
  Cgroups cg;
  RootDir root;
  ChildPlan slot_plan;
  Fd control;
  pid_t zygote = -1;
  int64_t zygote_kib = 0;       // The idle zygote's own memory in the cgroup.
  bool counters_reset = false;  // prepare_next_run() ran since the last run.
  bool reply_pending = false;   // The zygote's kInitExited for the last run is not read yet.

  explicit State(const Options& server)
      : cg(box_name(server)),
        root(box_name(server)),
        slot_plan(make_slot_plan(server.slot, root.path())) {}
};

Slot::Slot(const Options& server) : state_(new State(server)) {
  try {
    State& s = *state_;
    s.cg.create();  // Kills and removes what a crashed server of this slot left.
    s.zygote = start_zygote(s.slot_plan, server, s.control);
    // The only cgroup attach of the slot's life: the RCU grace period is paid once.
    s.cg.attach(s.zygote);
    InitReport ready;
    if (!receive_report(s.control.get(), ready)) throw SetupError("zygote died while starting");
    if (ready.kind == InitReport::kSetupFailed) {
      std::string step(ready.step, ::strnlen(ready.step, sizeof ready.step));
      throw SysError("zygote setup: " + step, ready.err);
    }
  } catch (...) {
    delete state_;
    throw;
  }
}

Slot::~Slot() {
  State& s = *state_;
  s.control.reset();  // EOF: an idle zygote exits by itself; kill anyway, it may be stuck.
  if (s.zygote > 0) {
    ::kill(s.zygote, SIGKILL);
    while (::waitpid(s.zygote, nullptr, __WALL) < 0 && errno == EINTR) {
    }
  }
  s.cg.remove();
  delete state_;  // RootDir removes the mount point dir.
}

const char* Slot::cgroup_version() const {
  return state_->cg.version() == CgroupVersion::V2 ? "v2" : "v1";
}

void Slot::prepare_next_run() {
  State& s = *state_;
  finish_previous_run();
  s.cg.reset_counters();
  s.zygote_kib = s.cg.memory_in_use_kib();
  s.counters_reset = true;
}

void Slot::finish_previous_run() {
  State& s = *state_;
  if (!s.reply_pending) return;
  InitReport done;
  if (!receive_report(s.control.get(), done) || done.kind != InitReport::kInitExited) {
    broken_ = true;
    throw SetupError("zygote died or misbehaved after a run");
  }
  s.reply_pending = false;
}

// The zygote's answer for the current run: init's exit status, or why init could not start.
int Slot::take_zygote_reply() {
  State& s = *state_;
  InitReport done;
  if (!receive_report(s.control.get(), done)) {
    broken_ = true;
    throw SetupError("zygote died during a run");
  }
  s.reply_pending = false;
  if (done.kind == InitReport::kSetupFailed) {
    std::string step(done.step, ::strnlen(done.step, sizeof done.step));
    throw SysError(step, done.err);
  }
  return done.wait_status;
}

void Slot::set_limits(const Options& o) {
  State& s = *state_;
  // On top of the limit and headroom: what is charged before the program starts (the idle
  // zygote and the cached copy of a ReadOnly work dir), which the peak excludes too.
  int64_t mem_kib = o.mem_kib + std::max(kMemHeadroomMinKib, o.mem_kib / kMemHeadroomDivisor) +
                    std::max<int64_t>(0, s.zygote_kib);
  CgroupLimits limits{mem_kib * 1024, o.procs + 2};  // +2: the zygote and init.
  try {
    s.cg.set_limits(limits);
  } catch (const SysError& e) {
    // EBUSY: the cached copy of an earlier run's work dir does not fit under the new limit.
    if (e.err() != EBUSY) throw;
    flush_box_cache(s.zygote);
    s.cg.set_limits(limits);
  }
}

Facts Slot::run(const Options& o, const std::vector<std::string>& request_args) {
  State& s = *state_;
  Fd work_dir = open_work_dir(o);
  Stdio stdio = open_stdio(o);
  Pipe report = make_pipe("pipe");
  if (!s.counters_reset) prepare_next_run();
  s.counters_reset = false;
  set_limits(o);
  int fds[kRequestFdCount] = {stdio.fds[0].get(), stdio.fds[1].get(), stdio.fds[2].get(),
                              report.write.get(), work_dir.get()};
  try {
    send_request(s.control.get(), request_args, fds);
  } catch (...) {
    broken_ = true;
    throw;
  }
  s.reply_pending = true;
  report.write.reset();  // Init holds the only write end now: EOF when it dies.
  try {
    Watch w = watch(o, s.cg, s.zygote, s.zygote_kib, report.read.get());
    if (w.got_report && w.report.kind == InitReport::kProgramDone) {
      // Init reports after the program's tree is gone and /box is copied back; its own exit
      // (the namespaces' teardown) need not delay the answer: prepare_next_run() waits for it.
      return gather(o, s.cg, w, 0, stdio);
    }
    int init_status = take_zygote_reply();
    return gather(o, s.cg, w, init_status, stdio);
  } catch (...) {
    if (s.reply_pending) s.cg.kill_all(s.zygote);  // No run may outlive our watch.
    throw;
  }
}

std::string to_json(const Facts& f) {
  auto b = [](bool v) { return v ? "true" : "false"; };
  char line[512];
  std::snprintf(
      line, sizeof line,
      "{\"exited\":%s,\"exit_code\":%d,\"signal\":%d,\"cpu_ms\":%lld,\"wall_ms\":%lld,"
      "\"peak_memory_kib\":%lld,\"oom_killed\":%s,\"limit_hit\":\"%s\",\"output_truncated\":%s,"
      "\"end_us\":%lld}",
      b(f.exited), f.exit_code, f.signal, static_cast<long long>(f.cpu_ms),
      static_cast<long long>(f.wall_ms), static_cast<long long>(f.peak_memory_kib), b(f.oom_killed),
      f.limit_hit.c_str(), b(f.output_truncated), static_cast<long long>(f.end_us));
  return line;
}

}  // namespace judge_box
