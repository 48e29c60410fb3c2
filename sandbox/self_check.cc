// The probes of the self-check (self_check.h). Each needs only what every box has (/usr/bin/dd,
// sh and sleep) and stays well under a second when the limits apply. Each is built so that the
// per-process rlimits the helper also sets cannot pass it for the cgroups:
// - memory: the OOM kill counter of the box's memory cgroup, not a failed allocation;
// - pids: the pids cgroup's "max" events, not a failed fork alone;
// - cpu: two busy processes whose CPU is stopped as a sum (each stays far below the per-process
//   RLIMIT_CPU backstop, which would show as SIGXCPU) and measured by the cgroup.
#include "sandbox/self_check.h"

#include <signal.h>
#include <sys/utsname.h>

#include <chrono>
#include <string>

namespace sandbox {
namespace {

constexpr int64_t kProbeMemoryKib = 16 * 1024;
constexpr int kFitMib = 4;   // A control run that must fit: the limit is not simply too tight.
constexpr int kHogMib = 64;  // 4x the limit: dd fills a buffer of this size.
constexpr int kProbeProcesses = 4;
constexpr int kProbeChildren = 16;  // 4x the limit.
constexpr int64_t kProbeCpuMs = 200;
// Far above the CPU limit: a machine busy with other boxes must not make the probe look failed
// (two loops need about 250 ms of CPU); without CPU enforcement RLIMIT_CPU ends them in ~2 s.
constexpr int64_t kProbeWallMs = 5000;
constexpr int64_t kProbeCpuBackstopMs = 2000;  // cpu limit of the runs that need no CPU limit.

std::string mib(int64_t kib) { return std::to_string(kib / 1024) + " MiB"; }

std::string facts_text(const RunResult& r) {
  auto b = [](bool v) { return v ? "true" : "false"; };
  return std::string("exited=") + b(r.exited) + " exit_code=" + std::to_string(r.exit_code) +
         " signal=" + std::to_string(r.signal) + " cpu_ms=" + std::to_string(r.cpu_ms) +
         " wall_ms=" + std::to_string(r.wall_ms) +
         " peak_memory_kib=" + std::to_string(r.peak_memory_kib) +
         " oom_killed=" + b(r.oom_killed) + " limit_hit=" + to_string(r.limit_hit);
}

RunSpec probe_spec(const std::string& work_dir, std::vector<std::string> argv) {
  RunSpec s;
  s.argv = std::move(argv);
  s.work_dir = work_dir;
  s.limits.cpu_ms = kProbeCpuBackstopMs;
  s.limits.wall_ms = kProbeWallMs;
  s.limits.memory_kib = kProbeMemoryKib;
  return s;
}

std::vector<std::string> dd_argv(int buffer_mib) {
  return {"dd", "if=/dev/zero", "of=/dev/null", "bs=" + std::to_string(buffer_mib) + "M",
          "count=1"};
}

std::optional<std::string> check_fit(const RunResult& r) {
  const std::string what = "memory: a " + std::to_string(kFitMib) + " MiB program under a " +
                           mib(kProbeMemoryKib) + " limit ";
  if (!r.exited || r.exit_code != 0 || r.oom_killed || r.limit_hit != LimitHit::None)
    return what + "did not run normally (" + facts_text(r) + "): the memory limit is misapplied";
  if (r.peak_memory_kib <= 0)
    return what + "reported no peak memory (" + facts_text(r) + "): memory is not measured";
  return std::nullopt;
}

std::optional<std::string> check_hog(const RunResult& r) {
  if (r.oom_killed && r.limit_hit == LimitHit::Memory) return std::nullopt;
  return "memory: a " + std::to_string(kHogMib) + " MiB allocation under a " +
         mib(kProbeMemoryKib) + " limit was not stopped by the memory cgroup (" + facts_text(r) +
         "): the memory cgroup does not apply (controller missing, or swap not accounted)";
}

std::optional<std::string> check_pids(const RunResult& r) {
  if (r.limit_hit == LimitHit::Processes) return std::nullopt;
  return "pids: a shell starting " + std::to_string(kProbeChildren) +
         " children under a limit of " + std::to_string(kProbeProcesses) +
         " processes was not stopped by the pids cgroup (" + facts_text(r) +
         "): the pids cgroup does not apply";
}

std::optional<std::string> check_cpu(const RunResult& r) {
  const std::string what =
      "cpu: two busy loops under a " + std::to_string(kProbeCpuMs) + " ms CPU limit ";
  if (r.signal == SIGXCPU) {
    return what + "were stopped by the per-process RLIMIT_CPU backstop, not by the CPU time of " +
           "the tree (" + facts_text(r) + "): the CPU accounting does not apply";
  }
  if (r.limit_hit != LimitHit::CpuTime)
    return what + "were not stopped by it (" + facts_text(r) + "): the CPU limit does not apply";
  if (r.cpu_ms < kProbeCpuMs) {
    return what + "were stopped after only " + std::to_string(r.cpu_ms) + " ms of measured CPU (" +
           facts_text(r) + "): the CPU time of the tree is not accounted";
  }
  return std::nullopt;
}

std::string kernel_release() {
  utsname u{};
  return ::uname(&u) == 0 ? u.release : "unknown";
}

}  // namespace

const char* to_string(Enforcement what) {
  switch (what) {
    case Enforcement::Memory:
      return "memory";
    case Enforcement::Processes:
      return "pids";
    case Enforcement::CpuTime:
      return "cpu";
  }
  return "unknown";
}

std::vector<Probe> enforcement_probes(const std::string& work_dir) {
  Probe fit{Enforcement::Memory, probe_spec(work_dir, dd_argv(kFitMib)), check_fit};
  Probe hog{Enforcement::Memory, probe_spec(work_dir, dd_argv(kHogMib)), check_hog};
  // Dash gives up at the first fork that pids.max refuses; the sleeps die with the box.
  Probe pids{Enforcement::Processes,
             probe_spec(work_dir, {"sh", "-c",
                                   "i=0; while [ $i -lt " + std::to_string(kProbeChildren) +
                                       " ]; do sleep 1 & i=$((i + 1)); done; wait"}),
             check_pids};
  pids.spec.limits.processes = kProbeProcesses;
  Probe cpu{Enforcement::CpuTime,
            probe_spec(work_dir, {"sh", "-c", "while :; do :; done & while :; do :; done"}),
            check_cpu};
  cpu.spec.limits.cpu_ms = kProbeCpuMs;
  return {fit, hog, pids, cpu};
}

SelfCheck self_check(Box& box, const std::string& work_dir) {
  const auto started = std::chrono::steady_clock::now();
  SelfCheck out;
  out.kernel = kernel_release();
  for (const Probe& probe : enforcement_probes(work_dir)) {
    RunResult facts;
    try {
      facts = box.run(probe.spec);
    } catch (const BoxError& e) {
      throw BoxError(std::string("self-check ") + to_string(probe.what) + " probe: " + e.what());
    }
    if (auto gap = probe.check(facts)) out.shortfalls.push_back({probe.what, *gap});
  }
  out.cgroup = box.cgroup_version();
  out.ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started)
               .count();
  return out;
}

}  // namespace sandbox
