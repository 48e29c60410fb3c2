// Builds the ChildPlan from the options (host side; allocates and throws freely).
#pragma once

#include <vector>

#include "child_plan.h"
#include "options.h"

namespace judge_box {

// Default PATH inside the box when --env gives none.
constexpr const char* kDefaultPath = "/usr/bin:/bin";

// The per-slot part: template root contents, uid, seccomp. Allocates; call before forking.
ChildPlan make_slot_plan(int slot, const std::string& root_dir);
// Fills in the per-run part (limits, program, /box and /tmp sizes); not the fds.
void set_run_plan(ChildPlan& plan, const Options& o);

// Seccomp BPF (default allow) returning EPERM for calls that could escape or attack the host.
std::vector<sock_filter> build_seccomp_filter();

}  // namespace judge_box
