// The box's filesystem, built by init inside its private mount namespace.
#pragma once

#include "child_plan.h"

namespace judge_box {

// Mounts a tmpfs on plan.root_dir, fills it (read-only binds, /box, /tmp, /proc, /dev, /etc
// files), pivots into it and detaches the old root. On failure reports to fail_fd and _exits.
void build_root(const ChildPlan& plan, int fail_fd);

}  // namespace judge_box
