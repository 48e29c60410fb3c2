#include "child.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <ctime>

#include "mounts.h"

namespace judge_box {
namespace {

constexpr int kFailExit = 127;

bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Exactly one report or EOF; returns bytes read.
ssize_t read_report(int fd, InitReport* report) {
  ssize_t n;
  do {
    n = ::read(fd, report, sizeof *report);
  } while (n < 0 && errno == EINTR);
  return n;
}

void set_oom_score_adj(const char* value) {
  int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    (void)!::write(fd, value, std::strlen(value));
    ::close(fd);
  }
}

void unblock_signals() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Only fds 0-2 reach the program; keep_fd (the close-on-exec failure pipe) until execve.
void setup_fds(const ChildPlan& plan, int keep_fd) {
  for (int i = 0; i < 3; ++i) child_check(::dup2(plan.stdio[i], i), keep_fd, "dup2 stdio");
  if (keep_fd > 3) ::close_range(3, keep_fd - 1, 0);
  child_check(::close_range(keep_fd + 1, ~0U, 0), keep_fd, "close_range");
}

void drop_privileges(const ChildPlan& plan, int fail_fd) {
  for (const auto& r : plan.rlimits)
    child_check(::setrlimit(static_cast<__rlimit_resource>(r.resource), &r.value), fail_fd,
                "setrlimit");
  // The program is the one the OOM killer should pick.
  set_oom_score_adj("1000");
  child_check(::setgroups(0, nullptr), fail_fd, "setgroups");
  child_check(::setresgid(plan.gid, plan.gid, plan.gid), fail_fd, "setresgid");
  child_check(::setresuid(plan.uid, plan.uid, plan.uid), fail_fd, "setresuid");
  child_check(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), fail_fd, "no_new_privs");
}

void load_seccomp(const ChildPlan& plan, int fail_fd) {
  sock_fprog prog{};
  prog.len = static_cast<unsigned short>(plan.seccomp.size());
  prog.filter = const_cast<sock_filter*>(plan.seccomp.data());
  child_check(::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0), fail_fd, "seccomp");
}

// execvpe() would search the helper's PATH, not the box's: search plan.path by hand, without
// allocating. Returns only on failure, with errno set as execvp would.
void exec_in_path(const ChildPlan& plan) {
  const char* file = plan.argv[0];
  if (std::strchr(file, '/') != nullptr) {
    ::execve(file, plan.argv.data(), plan.envp.data());
    return;
  }
  char full[PATH_MAX];
  int saved = ENOENT;
  const char* dir = plan.path.c_str();
  for (;;) {
    const char* end = ::strchrnul(dir, ':');
    size_t len = static_cast<size_t>(end - dir);
    if (len + std::strlen(file) + 2 <= sizeof full) {
      std::memcpy(full, dir, len);
      full[len] = '/';
      std::strcpy(full + len + 1, file);
      ::execve(full, plan.argv.data(), plan.envp.data());
      if (errno != ENOENT && errno != ENOTDIR) saved = errno;
    }
    if (*end == '\0') break;
    dir = end + 1;
  }
  errno = saved;
}

[[noreturn]] void run_program(const ChildPlan& plan, int fail_fd) {
  unblock_signals();  // Dispositions: the zygote reset them once (reset_signal_dispositions).
  setup_fds(plan, fail_fd);
  child_check(::chdir("/box"), fail_fd, "chdir /box");
  ::umask(022);
  drop_privileges(plan, fail_fd);
  load_seccomp(plan, fail_fd);
  exec_in_path(plan);
  child_fail(fail_fd, "execve");
}

// Reaps everything (pid 1 inherits orphans) until the program itself exits.
InitReport reap_until(pid_t program) {
  InitReport report;
  report.kind = InitReport::kProgramDone;
  for (;;) {
    int status = 0;
    pid_t pid = ::wait4(-1, &status, __WALL, nullptr);
    if (pid < 0 && errno == EINTR) continue;
    if (pid < 0) child_fail(-1, "wait4");
    if (pid == program) {
      report.wait_status = status;
      break;
    }
  }
  rusage ru{};
  ::getrusage(RUSAGE_CHILDREN, &ru);
  report.max_rss_kib = ru.ru_maxrss;
  // Nothing may keep writing /box while it is copied out: kill the rest of the namespace.
  ::kill(-1, SIGKILL);
  while (::wait4(-1, nullptr, __WALL, nullptr) > 0 || errno == EINTR) {
  }
  return report;
}

void copy_out(const ChildPlan& plan, int report_fd) {
  int box = ::open("/box", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  child_check(box, report_fd, "open /box for copy-out");
  int64_t rc =
      copy_regular_files(box, plan.work_dir_fd, 0, 0, plan.copy_max_files, CopyTarget::Replace);
  child_check(rc < 0 ? -1 : 0, report_fd, "copy /box back to the work dir");
  ::close(box);
}

}  // namespace

void reset_signal_dispositions() {
  for (int sig = 1; sig < NSIG; ++sig) ::signal(sig, SIG_DFL);  // Fails harmlessly for KILL/STOP.
}

void child_fail(int fd, const char* step) {
  InitReport report;
  report.kind = InitReport::kSetupFailed;
  report.err = errno;
  std::strncpy(report.step, step, sizeof report.step - 1);
  if (fd >= 0) write_all(fd, &report, sizeof report);
  ::_exit(kFailExit);
}

void run_init(const ChildPlan& plan) {
  int report_fd = plan.report_fd;
  // If the zygote dies, init dies, and with it the whole pid namespace.
  child_check(::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), report_fd, "pdeathsig");
  ::close(plan.control_fd);
  int64_t copied_in_kib = mount_run_dirs(plan, report_fd);

  int exec_pipe[2];
  child_check(::pipe2(exec_pipe, O_CLOEXEC), report_fd, "pipe");
  pid_t program = ::fork();
  child_check(program, report_fd, "fork program");
  if (program == 0) run_program(plan, exec_pipe[1]);
  ::close(exec_pipe[1]);
  for (int fd : plan.stdio) ::close(fd);

  InitReport report;
  if (read_report(exec_pipe[0], &report) > 0) {  // The program's setup failed before execve.
    ::kill(program, SIGKILL);
    write_all(report_fd, &report, sizeof report);
    ::_exit(kFailExit);
  }
  report = reap_until(program);
  // Taken before the copy-out, which may take a while: when the program itself ended.
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  report.program_end_us = int64_t{now.tv_sec} * 1000000 + now.tv_nsec / 1000;
  report.copied_in_kib = copied_in_kib;
  if (plan.work_dir_rw) copy_out(plan, report_fd);
  write_all(report_fd, &report, sizeof report);
  ::_exit(0);
}

}  // namespace judge_box
