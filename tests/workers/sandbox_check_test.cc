// The worker's decision on the sandbox self-check (no sandbox run): which facts let it start,
// and what the log line and the metric's labels say.
#include "sandbox_check.h"

#include <gtest/gtest.h>

#include "sandbox/self_check.h"

namespace {

using sandbox::Enforcement;

sandbox::SelfCheck passed() {
  sandbox::SelfCheck c;
  c.cgroup = "v2";
  c.kernel = "6.1.0-57-amd64";
  c.ms = 312;
  return c;
}

TEST(SandboxCheck, AllEnforcementsHeldLetsTheWorkerStartWithOneFactsLine) {
  workers::SandboxDecision d = workers::decide(passed());
  EXPECT_TRUE(d.fit);
  EXPECT_EQ(d.summary,
            "sandbox self-check passed cgroup=v2 kernel=6.1.0-57-amd64 memory=ok pids=ok cpu=ok "
            "ms=312");
}

TEST(SandboxCheck, AnyMissingEnforcementRefusesNamingEachOne) {
  struct Case {
    std::vector<Enforcement> missing;
    const char* names;
    const char* statuses;
  };
  const Case cases[] = {
      {{Enforcement::Memory}, "memory", "memory=missing pids=ok cpu=ok"},
      {{Enforcement::Processes}, "pids", "memory=ok pids=missing cpu=ok"},
      {{Enforcement::CpuTime}, "cpu", "memory=ok pids=ok cpu=missing"},
      // Both memory probes failed: memory is named once.
      {{Enforcement::Memory, Enforcement::Memory, Enforcement::CpuTime},
       "memory,cpu",
       "memory=missing pids=ok cpu=missing"},
  };
  for (const Case& c : cases) {
    sandbox::SelfCheck check = passed();
    for (Enforcement what : c.missing) check.shortfalls.push_back({what, "why"});
    workers::SandboxDecision d = workers::decide(check);
    EXPECT_FALSE(d.fit) << c.names;
    EXPECT_EQ(
        d.summary.rfind(
            std::string("worker refuses to start: the sandbox does not enforce ") + c.names + " (",
            0),
        0u)
        << d.summary;
    EXPECT_NE(d.summary.find(c.statuses), std::string::npos) << d.summary;
    EXPECT_NE(d.summary.find("cgroup=v2 kernel=6.1.0-57-amd64"), std::string::npos) << d.summary;
    EXPECT_NE(d.summary.find("README"), std::string::npos) << "points at the requirements";
  }
}

TEST(SandboxCheck, AnUnknownCgroupSetupIsNamedSo) {
  sandbox::SelfCheck check = passed();
  check.cgroup = "";
  check.shortfalls.push_back({Enforcement::Memory, "why"});
  EXPECT_NE(workers::decide(check).summary.find("cgroup=unknown"), std::string::npos);
}

TEST(SandboxCheck, InfoLabelsAreEscapedPrometheusLabels) {
  EXPECT_EQ(workers::sandbox_info_labels(passed()), "cgroup=\"v2\",kernel=\"6.1.0-57-amd64\"");
  sandbox::SelfCheck odd = passed();
  odd.kernel = "6.1\"x\\y\n";
  EXPECT_EQ(workers::sandbox_info_labels(odd), "cgroup=\"v2\",kernel=\"6.1\\\"x\\\\y\\n\"");
}

}  // namespace
