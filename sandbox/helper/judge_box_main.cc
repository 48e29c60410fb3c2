// judge-box: runs ONE untrusted program in a fresh sandbox and prints facts about the run.
//
// Theory of operation
// -------------------
// Processes. The caller (sandbox::Box, in a possibly multithreaded worker) starts this small
// single-threaded helper as root: `judge-box [options] -- argv...`. Three processes follow:
//
//   helper (host namespaces, root)
//     | unshare(CLONE_NEWPID) + fork
//     v
//   init (pid 1 of a new pid namespace, still root; also new mount/net/ipc/uts namespaces)
//     | fork, then setrlimit, setgroups/setresgid/setresuid to 61000+slot, no_new_privs,
//     v seccomp, execve
//   program (uid 61000+slot, inside the box's cgroups, sees only the new root)
//
// The helper prepares everything that allocates BEFORE forking: the cgroups (memory, pids,
// cpuacct below its own cgroups), the stdio files (opened as root on the host, so test data is
// never visible inside), the seccomp BPF, argv/envp arrays. Init builds the new root in its
// private mount namespace (tmpfs + read-only /usr and a few /etc dirs, /box = work dir, /tmp
// tmpfs, fresh /proc, minimal /dev), pivots into it, then waits for the helper's "go".
//
// Channels. go pipe: helper -> init, one byte once init's pid is in the box's cgroups, so the
// program and all its descendants are born inside them. report pipe: init -> helper, one
// fixed-size InitReport: either {step, errno} of a failed setup step (init's own, or the
// program's before execve, relayed from a close-on-exec pipe) or the program's wait status
// and max RSS. Init reaps every process (orphans reparent to it) until the program exits,
// reports and exits; the kernel then kills whatever is left in the pid namespace.
//
// Limits. The kernel enforces memory (cgroup limit + headroom, OOM killer), processes
// (pids.max), output size (RLIMIT_FSIZE -> SIGXFSZ) and open files. The helper polls every few
// ms: wall time, cgroup CPU of the whole tree, memory in use (for the peak). Past the wall limit
// or CPU limit + headroom it SIGKILLs init (which takes the namespace down) and anything left in
// the cgroups. RLIMIT_CPU is a per-process backstop in case the helper stalls.
//
// Output. On a completed run (whatever the program did) one JSON line on stdout, exit 0.
// On a failure of the sandbox itself (or bad options): "step: reason" on stderr, exit 2; the
// caller turns that into an infrastructure error, never into a verdict.
//
// Failure and cleanup. Every exit path kills init, removes the box's cgroups (killing and
// retrying while they drain) and the per-slot root mount point. If the helper itself dies,
// PR_SET_PDEATHSIG kills init and thereby the box; the next run of the same slot finds the
// leftover cgroups by name, kills their processes and removes or reuses them.
#include <signal.h>

#include <cstdio>
#include <exception>

#include "options.h"
#include "supervisor.h"

namespace {

constexpr int kExitFailure = 2;

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer forks a tracer at exit, but after unshare(CLONE_NEWPID) our children land in the
// box's pid namespace, which is dead by then: fork fails and LSan turns a good run into exit 1.
// The helper lives for one run, so leaks cannot accumulate anyway.
extern "C" int __lsan_is_turned_off() { return 1; }  // NOLINT(bugprone-reserved-identifier)
#endif

int main(int argc, char** argv) {
  // A write to a pipe whose reader died must be an EPIPE error, not our death.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    judge_box::Options options = judge_box::parse_options(argc, argv);
    if (options.help) {
      judge_box::print_usage(stdout);
      return 0;
    }
    judge_box::Facts facts = judge_box::run_box(options);
    std::printf("%s\n", judge_box::to_json(facts).c_str());
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
  } catch (const judge_box::UsageError& e) {
    std::fprintf(stderr, "judge-box: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
  }
  return kExitFailure;
}
