#include "zygote.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <exception>

#include "child.h"
#include "mounts.h"
#include "plan.h"
#include "sys_util.h"

namespace judge_box {
namespace {

// Requests are option lists: a compile command line with its environment fits easily.
constexpr size_t kMaxRequestBytes = 128 * 1024;  // Below the socket buffer.
// New per run: pid (fresh init), mount (fresh /box, /tmp, /proc), ipc (SysV objects could carry
// data from one run to the next), cgroup (the zygote is in the box's cgroups: they become the
// program's root). uts and net are the zygote's: the box uid can change neither.
constexpr int kRunNamespaces = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWCGROUP;

constexpr const char kHostname[] = "box";

void send_report(int fd, const InitReport& r) {
  while (::send(fd, &r, sizeof r, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

void send_failure(int fd, const char* step, int err) {
  InitReport r;
  r.kind = InitReport::kSetupFailed;
  r.err = err;
  std::strncpy(r.step, step, sizeof r.step - 1);
  send_report(fd, r);
}

// Setup failures of the zygote itself end it; the server reports them at start.
void setup_zygote(const ChildPlan& plan, int control_fd) {
  child_check(::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), control_fd, "zygote pdeathsig");
  // The server ignores SIGPIPE (and may inherit ignored signals from the worker). We use
  // MSG_NOSIGNAL; init dying of SIGPIPE when the server is gone is what we want.
  reset_signal_dispositions();
  // We sit in the box's memory cgroup, but idle and tiny, and the program raises its own
  // oom_score_adj to 1000, so the OOM killer picks it first. (Lowering ours to -1000 needs
  // CAP_SYS_RESOURCE, which is not in the bounding set here.)
  // The server's pipes to the Box must not be held open by us.
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  child_check(null, control_fd, "open /dev/null");
  child_check(::dup2(null, 0), control_fd, "dup2 stdin");
  child_check(::dup2(null, 1), control_fd, "dup2 stdout");
  ::close(null);
  // One empty network namespace for every run of the slot: creating one per run is slow.
  child_check(::unshare(CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWUTS), control_fd,
              "unshare net+mount+uts");
  child_check(::sethostname(kHostname, sizeof kHostname - 1), control_fd, "sethostname");
  build_template_root(plan, control_fd);
}

// Receives one request; returns false on EOF. fds are -1 unless received.
bool receive_request(int control_fd, std::vector<char>& buf, size_t& size,
                     int (&fds)[kRequestFdCount]) {
  for (int& fd : fds) fd = -1;
  iovec iov{buf.data(), buf.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kRequestFdCount)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(control_fd, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  size = static_cast<size_t>(n);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c != nullptr && c->cmsg_type == SCM_RIGHTS &&
      c->cmsg_len == CMSG_LEN(sizeof(int) * kRequestFdCount)) {
    std::memcpy(fds, CMSG_DATA(c), sizeof fds);
  }
  return true;
}

std::vector<std::string> split_args(const std::vector<char>& buf, size_t size) {
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t i = 0; i < size; ++i) {
    if (buf[i] == '\0') {
      args.emplace_back(buf.data() + start, i - start);
      start = i + 1;
    }
  }
  return args;
}

// One run: clone init, wait for it, answer.
void serve_one(const ChildPlan& slot_plan, const Options& server, int control_fd,
               const std::vector<std::string>& args, const int (&fds)[kRequestFdCount]) {
  ChildPlan plan = slot_plan;
  try {
    set_run_plan(plan, parse_request(server, args));
  } catch (const std::exception&) {
    send_failure(control_fd, "zygote: bad request", EINVAL);
    return;
  }
  for (int i = 0; i < 3; ++i) plan.stdio[i] = fds[i];
  plan.report_fd = fds[kReportFd];
  plan.work_dir_fd = fds[kWorkDirFd];
  plan.control_fd = control_fd;
  // A raw clone() behaves like fork() here (no new stack): the zygote is single-threaded.
  long pid = ::syscall(SYS_clone, kRunNamespaces | SIGCHLD, nullptr, nullptr, nullptr, 0);
  if (pid == 0) run_init(plan);
  int err = errno;
  for (int fd : fds) ::close(fd);
  if (pid < 0) {
    send_failure(control_fd, "clone init", err);
    return;
  }
  InitReport r;
  r.kind = InitReport::kInitExited;
  int status = 0;
  while (::waitpid(static_cast<pid_t>(pid), &status, __WALL) < 0 && errno == EINTR) {
  }
  r.wait_status = status;
  send_report(control_fd, r);
}

}  // namespace

void run_zygote(const ChildPlan& slot_plan, const Options& server, int control_fd) {
  setup_zygote(slot_plan, control_fd);
  InitReport ready;
  ready.kind = InitReport::kZygoteReady;
  send_report(control_fd, ready);
  std::vector<char> buf(kMaxRequestBytes);
  for (;;) {
    size_t size = 0;
    int fds[kRequestFdCount];
    if (!receive_request(control_fd, buf, size, fds)) ::_exit(0);
    bool complete = true;
    for (int fd : fds) complete = complete && fd >= 0;
    if (!complete) {
      for (int fd : fds)
        if (fd >= 0) ::close(fd);
      send_failure(control_fd, "zygote: request without its fds", EINVAL);
      continue;
    }
    serve_one(slot_plan, server, control_fd, split_args(buf, size), fds);
  }
}

void send_request(int control_fd, const std::vector<std::string>& args,
                  const int (&fds)[kRequestFdCount]) {
  std::string data;
  for (const auto& a : args) {
    data += a;
    data += '\0';
  }
  if (data.size() > kMaxRequestBytes) throw SysError("request to the zygote", E2BIG);
  iovec iov{data.data(), data.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kRequestFdCount)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int) * kRequestFdCount);
  std::memcpy(CMSG_DATA(c), fds, sizeof fds);
  ssize_t n;
  do {
    n = ::sendmsg(control_fd, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw_errno("send request to the zygote");
}

bool receive_report(int control_fd, InitReport& report) {
  ssize_t n;
  do {
    n = ::recv(control_fd, &report, sizeof report, 0);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof report);
}

}  // namespace judge_box
