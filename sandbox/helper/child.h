// Code that runs in the box's processes after fork: init (pid 1 of the new pid namespace) and
// the program. Only system calls and reads of the plan; failures are reported as {step, errno}.
#pragma once

#include "child_plan.h"

namespace judge_box {

// Reports {step, errno} on fd as an InitReport and _exits. Async-signal-safe.
[[noreturn]] void child_fail(int fd, const char* step);

// Fails with step when rc < 0.
inline void child_check(int rc, int fd, const char* step) {
  if (rc < 0) child_fail(fd, step);
}

// The box's init: new mount/net/ipc/uts namespaces, the new root, waits for the helper's go,
// forks the program, reaps everything, reports the program's status, exits (which kills the rest
// of the pid namespace). Never returns.
[[noreturn]] void run_init(const ChildPlan& plan);

}  // namespace judge_box
