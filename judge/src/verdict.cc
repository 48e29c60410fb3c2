#include "judge/verdict.h"

namespace judge {

namespace {
bool time_exceeded(const sandbox::RunResult& f, const RunLimits& limits) {
  return f.cpu_ms > limits.time_limit_ms || f.limit_hit == sandbox::LimitHit::CpuTime ||
         f.limit_hit == sandbox::LimitHit::WallTime;
}
bool memory_exceeded(const sandbox::RunResult& f, const RunLimits& limits) {
  return f.oom_killed || f.limit_hit == sandbox::LimitHit::Memory ||
         f.peak_memory_kib > limits.memory_limit_kib;
}
bool crashed(const sandbox::RunResult& f) { return !f.exited || f.exit_code != 0; }
}  // namespace

Verdict classify_run(const sandbox::RunResult& facts, const RunLimits& limits,
                     std::optional<bool> output_accepted) {
  if (time_exceeded(facts, limits)) return Verdict::TLE;
  if (memory_exceeded(facts, limits)) return Verdict::MLE;
  if (facts.output_truncated || facts.limit_hit == sandbox::LimitHit::Output) return Verdict::OLE;
  if (crashed(facts)) return Verdict::RTE;
  return output_accepted.value_or(false) ? Verdict::AC : Verdict::WA;
}

bool output_needs_check(const sandbox::RunResult& facts, const RunLimits& limits) {
  return !time_exceeded(facts, limits) && !memory_exceeded(facts, limits) &&
         !facts.output_truncated && facts.limit_hit != sandbox::LimitHit::Output && !crashed(facts);
}

}  // namespace judge
