// Code that runs in the box's processes after fork: init (pid 1 of the new pid namespace) and
// the program. Only system calls and reads of the plan; failures are reported as {step, errno}.
#pragma once

#include "child_plan.h"

namespace judge_box {

// Sets every signal's disposition to the default: what the program must start with (ignored
// signals survive execve). Done once by the zygote, inherited by every init and program.
void reset_signal_dispositions();

// Reports {step, errno} on fd as an InitReport and _exits. Async-signal-safe.
[[noreturn]] void child_fail(int fd, const char* step);

// Fails with step when rc < 0.
inline void child_check(int rc, int fd, const char* step) {
  if (rc < 0) child_fail(fd, step);
}

// The box's init, cloned by the zygote into new pid/mount/ipc/uts namespaces and born inside the
// box's cgroups: mounts /box, /tmp, /proc, forks the program, reaps everything, kills what is
// left, copies /box back for ReadWrite runs, reports the program's status, exits. Never returns.
[[noreturn]] void run_init(const ChildPlan& plan);

}  // namespace judge_box
