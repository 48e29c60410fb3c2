// The self-check's probes, table-style, without root: for each probe the facts of a host whose
// cgroups apply its limit pass, and facts showing a missing enforcement (as a host with only
// rlimits, or with a controller that does not apply, reports them) fail with a reason naming it.
#include "sandbox/self_check.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

namespace {

using sandbox::Enforcement;
using sandbox::LimitHit;
using sandbox::Probe;
using sandbox::RunResult;

RunResult exited(int code) {
  RunResult r;
  r.exited = true;
  r.exit_code = code;
  r.cpu_ms = 3;
  r.wall_ms = 4;
  r.peak_memory_kib = 4900;
  return r;
}

RunResult killed(int signal, LimitHit limit) {
  RunResult r;
  r.signal = signal;
  r.limit_hit = limit;
  r.cpu_ms = 5;
  r.wall_ms = 8;
  r.peak_memory_kib = 17000;
  return r;
}

RunResult oom_killed() {
  RunResult r = killed(SIGKILL, LimitHit::Memory);
  r.oom_killed = true;
  return r;
}

struct Case {
  const char* name;
  size_t probe;  // Index in enforcement_probes(): fit, hog, pids, cpu.
  RunResult facts;
  const char* reason_part;  // Empty: the enforcement held.
};

RunResult cpu_facts(int signal, LimitHit limit, int64_t cpu_ms) {
  RunResult r = killed(signal, limit);
  r.cpu_ms = cpu_ms;
  r.wall_ms = cpu_ms / 2;
  return r;
}

RunResult with_peak(RunResult r, int64_t kib) {
  r.peak_memory_kib = kib;
  return r;
}

std::vector<Case> cases() {
  return {
      {"fit runs normally", 0, exited(0), ""},
      {"fit killed by a too tight limit", 0, oom_killed(), "did not run normally"},
      {"fit failed", 0, exited(1), "did not run normally"},
      {"fit without peak memory", 0, with_peak(exited(0), 0), "reported no peak memory"},
      {"hog OOM-killed", 1, oom_killed(), ""},
      {"hog ran through (no memory cgroup)", 1, with_peak(exited(0), 65536),
       "was not stopped by the memory cgroup"},
      {"hog stopped by a failed allocation (rlimit)", 1, exited(1),
       "was not stopped by the memory cgroup"},
      {"hog killed by the wall limit", 1, killed(SIGKILL, LimitHit::WallTime),
       "the memory cgroup does not apply"},
      {"pids.max refused a fork", 2,
       [] {
         RunResult r = exited(2);
         r.limit_hit = LimitHit::Processes;
         return r;
       }(),
       ""},
      {"every child started", 2, exited(0), "was not stopped by the pids cgroup"},
      {"fork failed without pids events (RLIMIT_NPROC)", 2, exited(2),
       "the pids cgroup does not apply"},
      {"cpu stopped at the limit", 3, cpu_facts(SIGKILL, LimitHit::CpuTime, 262), ""},
      {"cpu stopped by RLIMIT_CPU", 3, cpu_facts(SIGXCPU, LimitHit::CpuTime, 4100),
       "RLIMIT_CPU backstop"},
      {"cpu stopped by the wall limit", 3, cpu_facts(SIGKILL, LimitHit::WallTime, 9800),
       "were not stopped by it"},
      {"cpu not measured", 3, cpu_facts(SIGKILL, LimitHit::CpuTime, 0), "not accounted"},
  };
}

TEST(SelfCheckProbes, FactsShowWhichEnforcementHolds) {
  const std::vector<Probe> probes = sandbox::enforcement_probes("/tmp/probe-work");
  ASSERT_EQ(probes.size(), 4u);
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    std::optional<std::string> gap = probes.at(c.probe).check(c.facts);
    if (std::string(c.reason_part).empty()) {
      EXPECT_FALSE(gap) << *gap;
      continue;
    }
    ASSERT_TRUE(gap);
    EXPECT_NE(gap->find(c.reason_part), std::string::npos) << *gap;
    // The reason starts with what is missing and carries the facts that show it.
    const std::string what = sandbox::to_string(probes.at(c.probe).what);
    EXPECT_EQ(gap->rfind(what + ": ", 0), 0u) << *gap;
    EXPECT_NE(gap->find("limit_hit="), std::string::npos) << *gap;
  }
}

TEST(SelfCheckProbes, ProbesAskForLimitsTheirChecksExpect) {
  const std::vector<Probe> probes = sandbox::enforcement_probes("/tmp/probe-work");
  ASSERT_EQ(probes.size(), 4u);
  EXPECT_EQ(probes[0].what, Enforcement::Memory);
  EXPECT_EQ(probes[1].what, Enforcement::Memory);
  EXPECT_EQ(probes[2].what, Enforcement::Processes);
  EXPECT_EQ(probes[3].what, Enforcement::CpuTime);
  for (const Probe& p : probes) {
    EXPECT_EQ(p.spec.work_dir, "/tmp/probe-work");
    EXPECT_EQ(p.spec.limits.memory_kib, 16 * 1024);
    // The wall limit never decides a probe: the limit probed (or a backstop) comes first.
    EXPECT_GT(p.spec.limits.wall_ms, p.spec.limits.cpu_ms);
  }
  EXPECT_EQ(probes[1].spec.argv.at(3), "bs=64M") << "4x the memory limit";
  EXPECT_EQ(probes[2].spec.limits.processes, 4);
  EXPECT_EQ(probes[3].spec.limits.cpu_ms, 200);
  // The reasons quote the numbers the specs use.
  EXPECT_NE(probes[1].check(exited(0))->find("64 MiB allocation under a 16 MiB limit"),
            std::string::npos);
  EXPECT_NE(probes[2].check(exited(0))->find("16 children under a limit of 4"), std::string::npos);
}

TEST(SelfCheckProbes, EnforcementNames) {
  EXPECT_STREQ(sandbox::to_string(Enforcement::Memory), "memory");
  EXPECT_STREQ(sandbox::to_string(Enforcement::Processes), "pids");
  EXPECT_STREQ(sandbox::to_string(Enforcement::CpuTime), "cpu");
}

}  // namespace
