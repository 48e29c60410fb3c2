// The sandbox self-check at worker start: before taking any work the worker proves, in a box of
// its own, that memory, processes and CPU time are enforced on this host (sandbox/self_check.h),
// and reports which cgroup setup and kernel it runs on (one log line, kSandboxInfoMetric). When an
// enforcement is missing it refuses to start: a judge whose limits silently do not apply is
// worse than one that does not judge. There is no switch to skip it.
#pragma once

#include <string>

namespace core {
class Metrics;
}
namespace sandbox {
struct SelfCheck;
}

namespace workers {

struct WorkerConfig;

inline constexpr const char* kSandboxInfoMetric = "judge_worker_sandbox_info";
// The exit status of a worker that refused to start because its sandbox failed the self-check.
inline constexpr int kExitSandboxUnfit = 3;

// What the worker makes of a finished self-check. Pure.
struct SandboxDecision {
  bool fit = false;
  // "sandbox self-check passed cgroup=v1 kernel=... memory=ok pids=ok cpu=ok ms=..." when fit;
  // else "worker refuses to start: ..." naming what is missing.
  std::string summary;
};
SandboxDecision decide(const sandbox::SelfCheck& check);

// The labels of kSandboxInfoMetric for check: cgroup="v1",kernel="..." (values escaped).
std::string sandbox_info_labels(const sandbox::SelfCheck& check);

// Has the judge run the self-check (judge::sandbox_self_check) in a sandbox slot of its own, logs
// the outcome (one line; on refusal one more line per missing enforcement) and sets
// kSandboxInfoMetric. Returns false when the worker must not start, also when the sandbox could not
// run the probes at all (twice: one failure may be a passing hiccup, a logged warning). Never
// throws.
bool sandbox_fit(const WorkerConfig& config, core::Metrics& metrics);

}  // namespace workers
