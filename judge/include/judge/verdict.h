// Verdicts: the ONE pure function that turns sandbox facts into a test case verdict.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/types.h"
#include "sandbox/sandbox.h"

namespace judge {

using domain::Verdict;

struct RunLimits {
  int64_t time_limit_ms = 1000;  // Against CPU time.
  int64_t memory_limit_kib = 262144;
};

// Precedence, first match wins:
//   1. TLE  CPU time over the limit, or the sandbox stopped it for CPU or wall time
//   2. MLE  killed by the memory limit, or peak memory over the limit
//   3. OLE  output reached the output limit
//   4. RTE  killed by a signal, or a non-zero exit code
//   5. WA   output_accepted is false (or was not checked)
//   6. AC
// output_accepted is the comparison of the output; callers compare only runs that got to 5.
Verdict classify_run(const sandbox::RunResult& facts, const RunLimits& limits,
                     std::optional<bool> output_accepted);

// Whether a run got far enough (clean exit, no limit) for its output to be compared.
bool output_needs_check(const sandbox::RunResult& facts, const RunLimits& limits);

}  // namespace judge
