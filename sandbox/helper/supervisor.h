// The helper's side of one run: prepares the host (cgroups, root dir, stdio files), starts the
// box's init, enforces the CPU and wall limits, gathers the facts and cleans up.
#pragma once

#include <cstdint>
#include <string>

#include "options.h"

namespace judge_box {

// Facts about one run; printed as the helper's JSON line.
struct Facts {
  bool exited = false;
  int exit_code = 0;
  int signal = 0;
  int64_t cpu_ms = 0;
  int64_t wall_ms = 0;
  int64_t peak_memory_kib = 0;
  bool oom_killed = false;
  // none|cpu|wall|memory|output|processes; when several apply, the earliest of
  // memory, processes, output, cpu, wall (a cause usually comes before its consequences).
  std::string limit_hit = "none";
  bool output_truncated = false;
};

// Runs the program once. Throws SysError/SetupError when the sandbox itself fails; cleans up
// (processes, cgroups, root dir) in every case.
Facts run_box(const Options& o);

std::string to_json(const Facts& f);

}  // namespace judge_box
