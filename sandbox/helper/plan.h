// Builds the ChildPlan from the options (host side; allocates and throws freely).
#pragma once

#include <vector>

#include "child_plan.h"
#include "options.h"

namespace judge_box {

// Default PATH inside the box when --env gives none.
constexpr const char* kDefaultPath = "/usr/bin:/bin";

// Everything but the stdio and pipe fds, which the caller fills in.
ChildPlan make_plan(const Options& o, const std::string& root_dir);

// Seccomp BPF (default allow) returning EPERM for calls that could escape or attack the host.
std::vector<sock_filter> build_seccomp_filter();

}  // namespace judge_box
