// The sandbox's self-check: probe runs showing whether the limits a Box promises really apply on
// this host. Memory, processes and CPU time of the whole process tree are enforced through
// cgroups; a host whose cgroups do not apply them (a controller missing or not delegated, no swap
// accounting) would leave only per-process rlimits, which a program escapes by forking.
//
// Facts only: what did not hold, and why. The caller decides what that means (judge-worker
// refuses to start).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/sandbox.h"

namespace sandbox {

enum class Enforcement { Memory, Processes, CpuTime };
// "memory", "pids", "cpu".
const char* to_string(Enforcement what);

// Why the facts of a probe's run show its enforcement missing; nullopt when it held.
using ProbeCheck = std::optional<std::string> (*)(const RunResult& facts);

// One probe: a program needing no compiler (sh and coreutils from the box's /usr), its limits,
// and what its facts must show.
struct Probe {
  Enforcement what;
  RunSpec spec;
  ProbeCheck check;
};

// The probes in the order they run; work_dir must be a dir the box's uid can enter.
std::vector<Probe> enforcement_probes(const std::string& work_dir);

struct Shortfall {
  Enforcement what;
  std::string reason;  // "memory: a 64 MiB allocation under a 16 MiB limit was not stopped ..."
};

struct SelfCheck {
  std::string cgroup;                 // As the helper found it: "v1" or "v2".
  std::string kernel;                 // The release, as `uname -r` prints it.
  std::vector<Shortfall> shortfalls;  // Empty: every enforcement held.
  int64_t ms = 0;                     // Wall time of the whole check.
};

// Runs every probe in box (all of them, even after one failed). Throws BoxError, naming the
// probe, when the sandbox itself could not run one.
SelfCheck self_check(Box& box, const std::string& work_dir);

}  // namespace sandbox
