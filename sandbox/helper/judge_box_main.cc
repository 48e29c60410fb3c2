// judge-box: runs untrusted programs in a sandbox and reports facts about each run.
//
// Theory of operation
// -------------------
// Processes. The caller (sandbox::Box, in a possibly multithreaded worker) starts this small
// single-threaded helper as root, once per Box: `judge-box --serve --slot N --tag T`. (The
// one-shot form `judge-box [options] -- argv...` runs the same code for a single run.)
//
//   server (host namespaces, root, host cgroups; one per slot, lives as long as the Box)
//     | fork once; attached to the box's cgroups once
//     v
//   zygote (root; own empty network namespace and private mount namespace whose root is the
//     |     slot's template root: read-only /usr, a few /etc dirs, /dev nodes, mount points)
//     | per run: clone(CLONE_NEWPID|NEWNS|NEWIPC|NEWUTS), born inside the box's cgroups
//     v
//   init (pid 1 of the run's pid namespace, root): fresh /box and /tmp tmpfs, fresh /proc
//     | fork, then setrlimit, setgroups/setresgid/setresuid to 61000+slot, no_new_privs,
//     v seccomp, execve
//   program (uid 61000+slot, sees only the template root + its own /box, /tmp, /proc)
//
// What is per slot and what is per run. Once per slot (server start): remove what a crashed
// server of the slot left (cgroups, killing their processes), create the cgroups (memory,
// pids, cpuacct below the server's own), build the seccomp BPF, fork the zygote, which creates
// the network namespace and the template root and pivots into it. The only cgroup attach (the
// zygote's) happens here: on cgroup v1 an attach after idle waits for an RCU grace period.
// Per run: the server opens the stdio files and the work dir (as root on the host, so test
// data is never visible inside), sets the cgroup limits (only when they change) and resets the
// counters, and sends the request (the run's options) with those fds to the zygote. The zygote
// parses it, clones init and waits for it. Init mounts /tmp and /proc and prepares /box: for
// ReadWrite runs a fresh tmpfs sized by the memory limit, filled with copies of the work dir's
// regular files; for ReadOnly runs the template's read-only view of a per-slot tmpfs copy of the
// work dir, refilled only when the files' inode/size/mtime/ctime changed (the judge runs one
// binary on many tests). Then it runs the program. The server answers as soon as init reports
// and waits for init's exit (namespace teardown) after answering, before the next run.
//
// Channels. Box <-> server: one JSON line per request and per answer over the server's
// stdin/stdout. server <-> zygote: a SOCK_SEQPACKET pair (request + SCM_RIGHTS fds; answer: one
// fixed-size InitReport, init's exit status or {step, errno} when it could not start). report
// pipe: init -> server, one InitReport: {step, errno} of a failed setup step (init's own, or the
// program's before execve, relayed from a close-on-exec pipe) or the program's wait status and
// max RSS. Init reaps every process (orphans reparent to it) until the program exits, kills the
// rest, copies /box back for ReadWrite runs, reports and exits.
//
// Limits. The kernel enforces memory (cgroup limit + headroom, OOM killer; the tmpfs pages of
// /box and /tmp count too), processes (pids.max, +2 for the zygote and init), output size
// (RLIMIT_FSIZE -> SIGXFSZ) and open files. The server polls every few ms: wall time, cgroup
// CPU of the whole tree, memory in use (for the peak, minus the idle zygote's and the copied
// work dir's). Past the wall limit or CPU limit + headroom it SIGKILLs everything in the cgroups
// but the zygote (killing init takes the pid namespace down). RLIMIT_CPU is a per-process
// backstop in case the server stalls.
//
// Output. Per run one JSON line of facts (whatever the program did), or {"error": "step:
// reason"} when the sandbox itself failed; the caller turns that into an infrastructure error,
// never into a verdict. One-shot mode: the facts line and exit 0, or the reason on stderr and
// exit 2.
//
// Failure and cleanup. EOF on the server's stdin (~Box): kill the zygote, remove the cgroups and
// the template root's mount point dir, exit. If the server dies, PR_SET_PDEATHSIG kills the
// zygote, which kills init and thereby the box; the Box starts a new server at the next run,
// which cleans the leftover cgroups by name. If the zygote dies the server answers with an
// error and exits (the next run starts afresh). The server itself dies with the Box's thread.
#include <signal.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "options.h"
#include "server.h"

namespace {

constexpr int kExitFailure = 2;

}  // namespace

int main(int argc, char** argv) {
  // A write to a pipe whose reader died must be an EPIPE error, not our death.
  ::signal(SIGPIPE, SIG_IGN);
  judge_box::Options options;
  try {
    options = judge_box::parse_options(argc, argv);
  } catch (const judge_box::UsageError& e) {
    std::string message = std::string("judge-box: ") + e.what();
    // A server's Box reads errors from the first line of stdout.
    for (int i = 1; i < argc; ++i)
      if (std::string_view(argv[i]) == "--serve") judge_box::print_error_line(message);
    std::fprintf(stderr, "%s\n", message.c_str());
    return kExitFailure;
  }
  if (options.help) {
    judge_box::print_usage(stdout);
    return 0;
  }
  if (options.serve) return judge_box::serve(options);
  return judge_box::run_once(options, argc, argv);
}
