// Table-style tests of judge::classify_run and output_needs_check: the precedence in verdict.h.
#include "judge/verdict.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <optional>
#include <ostream>
#include <string>

#include "print.h"

namespace {

// Test names from the table rows (a lambda here would trip -Wshadow inside gtest's macro).
struct NameOf {
  template <class Param>
  std::string operator()(const ::testing::TestParamInfo<Param>& row) const {
    return row.param.name;
  }
};

using judge::Verdict;
using sandbox::LimitHit;
using sandbox::RunResult;

constexpr int64_t kTimeLimitMs = 1000;
constexpr int64_t kMemoryLimitKib = 65536;
const judge::RunLimits kLimits{kTimeLimitMs, kMemoryLimitKib};

enum class Check { Yes, No };

struct VerdictCase {
  const char* name;
  RunResult facts;
  std::optional<bool> output_accepted;
  Verdict expect;
  Check needs_check;
};

void PrintTo(const VerdictCase& c, std::ostream* os) { *os << c.name; }

// A clean run well within the limits; rows change what they are about.
RunResult clean() {
  return {.exited = true, .cpu_ms = 100, .wall_ms = 150, .peak_memory_kib = 4096};
}
RunResult with(RunResult r, auto change) {
  change(r);
  return r;
}
RunResult killed(int sig, LimitHit hit) {
  return with(clean(), [&](RunResult& r) {
    r.exited = false;
    r.signal = sig;
    r.limit_hit = hit;
  });
}

const VerdictCase kCases[] = {
    // AC and WA.
    {"CleanAccepted", clean(), true, Verdict::AC, Check::Yes},
    {"CleanRejected", clean(), false, Verdict::WA, Check::Yes},
    {"CleanNotChecked", clean(), std::nullopt, Verdict::WA, Check::Yes},
    {"ProcessesLimitHitExitZeroAccepted",
     with(clean(), [](RunResult& r) { r.limit_hit = LimitHit::Processes; }), true, Verdict::AC,
     Check::Yes},
    {"ProcessesLimitHitExitZeroRejected",
     with(clean(), [](RunResult& r) { r.limit_hit = LimitHit::Processes; }), false, Verdict::WA,
     Check::Yes},
    {"ProcessesLimitHitThenCrash", killed(SIGSEGV, LimitHit::Processes), std::nullopt, Verdict::RTE,
     Check::No},
    // TLE: against the exact limit, whatever the sandbox enforced.
    {"CpuOverLimitWithoutLimitHit", with(clean(), [](RunResult& r) { r.cpu_ms = 1001; }), true,
     Verdict::TLE, Check::No},
    {"CpuAtLimitIsFine", with(clean(), [](RunResult& r) { r.cpu_ms = kTimeLimitMs; }), true,
     Verdict::AC, Check::Yes},
    {"CpuLimitHit", with(killed(SIGKILL, LimitHit::CpuTime), [](RunResult& r) { r.cpu_ms = 1100; }),
     std::nullopt, Verdict::TLE, Check::No},
    {"CpuLimitHitBySignalXcpu", killed(SIGXCPU, LimitHit::CpuTime), std::nullopt, Verdict::TLE,
     Check::No},
    {"WallLimitHitWhileSleeping", killed(SIGKILL, LimitHit::WallTime), std::nullopt, Verdict::TLE,
     Check::No},
    {"TleOverMle",
     with(killed(SIGKILL, LimitHit::Memory),
          [](RunResult& r) {
            r.cpu_ms = 1500;
            r.oom_killed = true;
          }),
     std::nullopt, Verdict::TLE, Check::No},
    {"TleOverEverything",
     with(killed(SIGKILL, LimitHit::WallTime),
          [](RunResult& r) {
            r.oom_killed = true;
            r.peak_memory_kib = 2 * kMemoryLimitKib;
            r.output_truncated = true;
          }),
     true, Verdict::TLE, Check::No},
    // MLE.
    {"OomKilled",
     with(killed(SIGKILL, LimitHit::Memory), [](RunResult& r) { r.oom_killed = true; }),
     std::nullopt, Verdict::MLE, Check::No},
    {"OomKilledWithoutLimitHit",
     with(killed(SIGKILL, LimitHit::None), [](RunResult& r) { r.oom_killed = true; }), std::nullopt,
     Verdict::MLE, Check::No},
    {"MemoryLimitHitWithoutOomKill", killed(SIGKILL, LimitHit::Memory), std::nullopt, Verdict::MLE,
     Check::No},
    {"PeakOverLimitCleanExitAccepted",
     with(clean(), [](RunResult& r) { r.peak_memory_kib = kMemoryLimitKib + 1; }), true,
     Verdict::MLE, Check::No},
    {"PeakAtLimitIsFine", with(clean(), [](RunResult& r) { r.peak_memory_kib = kMemoryLimitKib; }),
     true, Verdict::AC, Check::Yes},
    {"MleOverOle",
     with(killed(SIGKILL, LimitHit::Memory),
          [](RunResult& r) {
            r.oom_killed = true;
            r.output_truncated = true;
          }),
     std::nullopt, Verdict::MLE, Check::No},
    {"MleOverRte",
     with(killed(SIGSEGV, LimitHit::None),
          [](RunResult& r) { r.peak_memory_kib = kMemoryLimitKib * 2; }),
     std::nullopt, Verdict::MLE, Check::No},
    // OLE.
    {"OutputTruncatedExitZero", with(clean(), [](RunResult& r) { r.output_truncated = true; }),
     true, Verdict::OLE, Check::No},
    {"OutputLimitHitBySignalXfsz", killed(SIGXFSZ, LimitHit::Output), std::nullopt, Verdict::OLE,
     Check::No},
    {"OleOverRte",
     with(clean(),
          [](RunResult& r) {
            r.exit_code = 1;
            r.output_truncated = true;
          }),
     std::nullopt, Verdict::OLE, Check::No},
    // RTE.
    {"Segfault", killed(SIGSEGV, LimitHit::None), std::nullopt, Verdict::RTE, Check::No},
    {"FloatingPointException", killed(SIGFPE, LimitHit::None), std::nullopt, Verdict::RTE,
     Check::No},
    {"Abort", killed(SIGABRT, LimitHit::None), std::nullopt, Verdict::RTE, Check::No},
    {"ExitCodeOne", with(clean(), [](RunResult& r) { r.exit_code = 1; }), std::nullopt,
     Verdict::RTE, Check::No},
    {"RteOverWa", with(clean(), [](RunResult& r) { r.exit_code = 1; }), false, Verdict::RTE,
     Check::No},
    {"RteEvenIfOutputAccepted", with(clean(), [](RunResult& r) { r.exit_code = 42; }), true,
     Verdict::RTE, Check::No},
    {"SignalEvenIfOutputAccepted", killed(SIGSEGV, LimitHit::None), true, Verdict::RTE, Check::No},
};

class ClassifyTest : public ::testing::TestWithParam<VerdictCase> {};

TEST_P(ClassifyTest, FollowsThePrecedence) {
  const VerdictCase& c = GetParam();
  EXPECT_EQ(judge::classify_run(c.facts, kLimits, c.output_accepted), c.expect);
  EXPECT_EQ(judge::output_needs_check(c.facts, kLimits), c.needs_check == Check::Yes);
}

INSTANTIATE_TEST_SUITE_P(Table, ClassifyTest, ::testing::ValuesIn(kCases), NameOf{});

// The limits come from the caller, not from what the sandbox was told.
TEST(ClassifyLimitsTest, UsesTheGivenLimits) {
  RunResult r = with(clean(), [](RunResult& f) {
    f.cpu_ms = 1500;
    f.peak_memory_kib = 100000;
  });
  EXPECT_EQ(judge::classify_run(r, {2000, 262144}, true), Verdict::AC);
  EXPECT_EQ(judge::classify_run(r, {2000, 65536}, true), Verdict::MLE);
  EXPECT_EQ(judge::classify_run(r, {1000, 262144}, true), Verdict::TLE);
}

TEST(VerdictNamesTest, RoundTrip) {
  for (Verdict v : {Verdict::AC, Verdict::WA, Verdict::TLE, Verdict::MLE, Verdict::OLE,
                    Verdict::RTE, Verdict::CE, Verdict::JE}) {
    EXPECT_EQ(domain::parse_verdict(domain::to_string(v)), v);
  }
  EXPECT_STREQ(domain::to_string(Verdict::TLE), "TLE");
  EXPECT_EQ(domain::parse_verdict("ac"), std::nullopt);  // CLICS ids are upper case.
  EXPECT_EQ(domain::parse_verdict("XX"), std::nullopt);
  EXPECT_EQ(domain::parse_verdict(""), std::nullopt);
}

}  // namespace
