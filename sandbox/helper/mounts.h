// The box's filesystem. The zygote builds a template root once per slot (read-only binds, /dev,
// /etc files, mount points) and pivots into it; each run's init, in its own copy of that mount
// namespace, mounts a fresh /box and /tmp (sized tmpfs) and /proc. Syscalls only, no allocation;
// failures report {step, errno} to fail_fd and _exit.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "child_plan.h"

namespace judge_box {

// Zygote: mounts a tmpfs on plan.root_dir, fills it, pivots into it, detaches the host's root.
void build_template_root(const ChildPlan& plan, int fail_fd);

// Init: mounts /box (filled from plan.work_dir_fd; read-only unless work_dir_rw), /tmp, /proc.
// Returns the KiB copied into /box.
int64_t mount_run_dirs(const ChildPlan& plan, int fail_fd);

enum class CopyTarget { Fresh, Replace };
// Copies the regular files directly in from_dir to to_dir (owned by owner:group, mode 0755 if
// any exec bit was set, else 0644). Symlinks, dirs and devices are skipped, never followed.
// Stops after max_files. Returns KiB copied, or -1 with errno set.
int64_t copy_regular_files(int from_dir, int to_dir, uid_t owner, gid_t group, int64_t max_files,
                           CopyTarget target);

}  // namespace judge_box
