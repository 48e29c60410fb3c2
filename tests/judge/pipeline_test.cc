// judge::judge_submission against a scripted fake Runner: no sandbox, no root.
#include <gtest/gtest.h>

#include "files.h"
#include <signal.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "judge/judge.h"
#include "print.h"

namespace {

namespace fs = std::filesystem;

using testenv::read_file;
using testenv::write_file;
using judge::JudgeOutcome;
using judge::JudgeRequest;
using judge::Verdict;
using sandbox::LimitHit;
using sandbox::RunResult;
using sandbox::RunSpec;



// One scripted run: the facts to return and what the "program" printed.
struct Step {
  RunResult result;
  std::string stdout_text;
  std::string stderr_text;
  bool box_error = false;  // Throw sandbox::BoxError instead of running.
};

// Returns the scripted steps in order, writing their output where the spec says, and records
// every spec it was given.
class FakeRunner : public judge::Runner {
 public:
  explicit FakeRunner(std::vector<Step> steps) : steps_(steps.begin(), steps.end()) {}

  RunResult run(const RunSpec& spec) override {
    specs.push_back(spec);
    if (steps_.empty()) throw std::logic_error("FakeRunner: unexpected run");
    Step step = steps_.front();
    steps_.pop_front();
    if (step.box_error) throw sandbox::BoxError("judge-box: cannot create cgroup");
    // The sandbox truncates both files; one path for both means interleaved output.
    if (!spec.stdout_path.empty()) write_file(spec.stdout_path, step.stdout_text);
    if (!spec.stderr_path.empty()) {
      std::ofstream err(spec.stderr_path, std::ios::binary | (spec.stderr_path == spec.stdout_path
                                                                  ? std::ios::app
                                                                  : std::ios::trunc));
      err << step.stderr_text;
    }
    return step.result;
  }

  size_t remaining() const { return steps_.size(); }
  std::vector<RunSpec> specs;

 private:
  std::deque<Step> steps_;
};

RunResult ok(int64_t cpu_ms = 10) {
  return {.exited = true, .cpu_ms = cpu_ms, .wall_ms = cpu_ms + 5, .peak_memory_kib = 2048};
}
RunResult exit_code(int code) {
  RunResult r = ok();
  r.exit_code = code;
  return r;
}
RunResult killed(int sig, LimitHit hit, int64_t cpu_ms = 10) {
  RunResult r = ok(cpu_ms);
  r.exited = false;
  r.signal = sig;
  r.limit_hit = hit;
  return r;
}

const std::vector<std::string> kCompileArgv = {"/usr/bin/gcc", "-O2", "-o", "main", "main.c"};
const std::vector<std::string> kRunArgv = {"./main"};
constexpr int64_t kTimeLimitMs = 1000;
constexpr int64_t kMemoryLimitKib = 65536;
constexpr int64_t kOutputLimitKib = 1024;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/judge-pipeline-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    root_ = dir_template;
    fs::create_directory(root_ / "box");
    fs::create_directory(root_ / "scratch");
    fs::create_directory(root_ / "tests");
    request_.language = {"c", "main.c", kCompileArgv, kRunArgv};
    request_.source = "int main(void) { return 0; }\n";
    request_.limits = {kTimeLimitMs, kMemoryLimitKib};
    request_.output_limit_kib = kOutputLimitKib;
    request_.box_dir = root_ / "box";
    request_.scratch_dir = root_ / "scratch";
    add_test(11, "1 2\n", "3\n");
    add_test(12, "10 20\n", "30\n");
    add_test(13, "2 3\n", "5\n");
  }
  void TearDown() override { fs::remove_all(root_); }

  void add_test(int64_t id, const std::string& input, const std::string& answer) {
    fs::path in = root_ / "tests" / (std::to_string(id) + ".in");
    fs::path ans = root_ / "tests" / (std::to_string(id) + ".ans");
    write_file(in, input);
    write_file(ans, answer);
    request_.tests.push_back({id, in, ans});
  }

  fs::path root_;
  JudgeRequest request_;
};

TEST_F(PipelineTest, AllTestsPassGivesAcWithMaxRunTime) {
  FakeRunner runner({{ok()}, {ok(30), "3\n"}, {ok(70), "30"}, {ok(20), " 5 \n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);

  EXPECT_EQ(outcome.verdict, Verdict::AC);
  ASSERT_EQ(outcome.tests.size(), 3u);
  for (size_t i = 0; i < outcome.tests.size(); ++i) {
    SCOPED_TRACE("test " + std::to_string(i));
    EXPECT_EQ(outcome.tests[i].verdict, Verdict::AC);
    EXPECT_EQ(outcome.tests[i].ordinal, static_cast<int>(i) + 1);
    EXPECT_EQ(outcome.tests[i].test_id, request_.tests[i].id);
  }
  EXPECT_EQ(outcome.tests[1].cpu_ms, 70);
  EXPECT_EQ(outcome.tests[1].memory_kib, 2048);
  EXPECT_EQ(outcome.max_run_ms, 70);
  EXPECT_EQ(runner.remaining(), 0u);
  EXPECT_EQ(read_file(root_ / "box" / "main.c"), request_.source);
}

TEST_F(PipelineTest, CompileAndRunSpecsFollowTheRequest) {
  FakeRunner runner({{ok()}, {ok(), "3\n"}, {ok(), "30\n"}, {ok(), "5\n"}});
  judge::judge_submission(runner, request_);
  ASSERT_EQ(runner.specs.size(), 4u);

  const RunSpec& compile = runner.specs[0];
  EXPECT_EQ(compile.argv, kCompileArgv);
  EXPECT_EQ(compile.work_dir, request_.box_dir);
  EXPECT_EQ(compile.work_dir_access, sandbox::WorkDirAccess::ReadWrite);
  EXPECT_EQ(compile.limits.cpu_ms, judge::CompileLimits::defaults().cpu_ms);
  EXPECT_EQ(compile.limits.memory_kib, judge::CompileLimits::defaults().memory_kib);

  for (size_t i = 1; i < runner.specs.size(); ++i) {
    SCOPED_TRACE("run " + std::to_string(i));
    const RunSpec& run = runner.specs[i];
    EXPECT_EQ(run.argv, kRunArgv);
    EXPECT_EQ(run.work_dir, request_.box_dir);
    EXPECT_EQ(run.work_dir_access, sandbox::WorkDirAccess::ReadOnly);
    EXPECT_EQ(run.stdin_path, request_.tests[i - 1].input_path);
    EXPECT_EQ(run.limits.cpu_ms, kTimeLimitMs);
    EXPECT_GT(run.limits.wall_ms, kTimeLimitMs);
    EXPECT_EQ(run.limits.memory_kib, kMemoryLimitKib);
    EXPECT_EQ(run.limits.output_kib, kOutputLimitKib);
    // Program output must never land in the box dir, where the next run could read it.
    EXPECT_EQ(fs::path(run.stdout_path).parent_path(), request_.scratch_dir);
    EXPECT_EQ(fs::path(run.stderr_path).parent_path(), request_.scratch_dir);
    EXPECT_NE(run.stdout_path, run.stderr_path);
  }
}

TEST_F(PipelineTest, CompileErrorGivesCeWithCompilerMessages) {
  const std::string error = "main.c:1:5: error: expected ';' before '}' token\n";
  FakeRunner runner({{exit_code(1), "", error}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);

  EXPECT_EQ(outcome.verdict, Verdict::CE);
  EXPECT_NE(outcome.compile_output.find(error), std::string::npos) << outcome.compile_output;
  EXPECT_TRUE(outcome.tests.empty());
  EXPECT_FALSE(outcome.max_run_ms.has_value());
  EXPECT_EQ(runner.specs.size(), 1u);
}

TEST_F(PipelineTest, CompilerWarningsOnSuccessAreKept) {
  const std::string warning = "main.c:3: warning: unused variable 'x'\n";
  FakeRunner runner({{ok(), "", warning}, {ok(), "3\n"}, {ok(), "30\n"}, {ok(), "5\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::AC);
  EXPECT_EQ(outcome.compile_output, warning);
}

TEST_F(PipelineTest, CompileHittingTheTimeLimitGivesCe) {
  for (LimitHit hit : {LimitHit::CpuTime, LimitHit::WallTime}) {
    SCOPED_TRACE(sandbox::to_string(hit));
    FakeRunner runner({{killed(SIGKILL, hit, 30000), "", "partial\n"}});
    JudgeOutcome outcome = judge::judge_submission(runner, request_);
    EXPECT_EQ(outcome.verdict, Verdict::CE);
    EXPECT_NE(outcome.compile_output.find("exceeded the time limit"), std::string::npos)
        << outcome.compile_output;
    EXPECT_TRUE(outcome.tests.empty());
    EXPECT_EQ(runner.specs.size(), 1u);
  }
}

TEST_F(PipelineTest, CompileWithExitZeroButALimitHitGivesCe) {
  RunResult r = ok();
  r.limit_hit = LimitHit::Memory;
  FakeRunner runner({{r}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::CE);
  EXPECT_NE(outcome.compile_output.find("memory limit"), std::string::npos)
      << outcome.compile_output;
}

TEST_F(PipelineTest, StopsAtTheFirstWrongAnswer) {
  FakeRunner runner({{ok()}, {ok(40), "3\n"}, {ok(25), "31\n"}, {ok(), "5\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);

  EXPECT_EQ(outcome.verdict, Verdict::WA);
  ASSERT_EQ(outcome.tests.size(), 2u);
  EXPECT_EQ(outcome.tests[0].verdict, Verdict::AC);
  EXPECT_EQ(outcome.tests[1].verdict, Verdict::WA);
  EXPECT_EQ(outcome.tests[1].test_id, 12);
  EXPECT_NE(outcome.tests[1].message.find("31"), std::string::npos) << outcome.tests[1].message;
  EXPECT_EQ(outcome.max_run_ms, 40);
  EXPECT_EQ(runner.specs.size(), 3u);  // Compile + two runs; the third test never ran.
  EXPECT_EQ(runner.remaining(), 1u);
}

TEST_F(PipelineTest, StopsAtTheFirstTimeLimit) {
  FakeRunner runner({{ok()}, {killed(SIGKILL, LimitHit::CpuTime, 1100)}, {ok(), "30\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::TLE);
  ASSERT_EQ(outcome.tests.size(), 1u);
  EXPECT_EQ(outcome.tests[0].verdict, Verdict::TLE);
  EXPECT_EQ(outcome.tests[0].cpu_ms, 1100);
  EXPECT_EQ(runner.specs.size(), 2u);
}

TEST_F(PipelineTest, RuntimeErrorsCarryTheReason) {
  struct Row {
    RunResult facts;
    std::string message;
  };
  for (const Row& row :
       {Row{exit_code(1), "exit code 1"}, Row{killed(SIGSEGV, LimitHit::None), "signal 11"}}) {
    SCOPED_TRACE(row.message);
    // Correct output, but the program crashed afterwards: still RTE.
    FakeRunner runner({{ok()}, {ok(), "3\n"}, {row.facts, "30\n"}, {ok(), "5\n"}});
    JudgeOutcome outcome = judge::judge_submission(runner, request_);
    EXPECT_EQ(outcome.verdict, Verdict::RTE);
    ASSERT_EQ(outcome.tests.size(), 2u);
    EXPECT_NE(outcome.tests[1].message.find(row.message), std::string::npos)
        << outcome.tests[1].message;
    EXPECT_EQ(runner.remaining(), 1u);
  }
}

TEST_F(PipelineTest, ValidatorFlagsAreApplied) {
  request_.validator_flags.float_absolute_tolerance = 1e-3;
  FakeRunner runner({{ok()}, {ok(), "3.0001\n"}, {ok(), "29.9999\n"}, {ok(), "5.002\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::WA);
  EXPECT_EQ(outcome.tests.size(), 3u);
}

TEST_F(PipelineTest, InterpretedLanguageSkipsCompiling) {
  request_.language = {"python3", "main.py", {}, {"/usr/bin/python3", "-S", "main.py"}};
  request_.source = "print(sum(map(int, input().split())))\n";
  FakeRunner runner({{ok(), "3\n"}, {ok(), "30\n"}, {ok(), "5\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);

  EXPECT_EQ(outcome.verdict, Verdict::AC);
  EXPECT_EQ(outcome.tests.size(), 3u);
  ASSERT_EQ(runner.specs.size(), 3u);  // No compile run.
  EXPECT_EQ(runner.specs[0].argv, request_.language.run_argv);
  EXPECT_TRUE(outcome.compile_output.empty());
  EXPECT_EQ(read_file(root_ / "box" / "main.py"), request_.source);
}

TEST_F(PipelineTest, BoxErrorWhileCompilingPropagates) {
  Step failure;
  failure.box_error = true;
  FakeRunner runner({failure});
  EXPECT_THROW(judge::judge_submission(runner, request_), sandbox::BoxError);
}

TEST_F(PipelineTest, BoxErrorWhileRunningPropagates) {
  Step failure;
  failure.box_error = true;
  FakeRunner runner({{ok()}, {ok(), "3\n"}, failure});
  EXPECT_THROW(judge::judge_submission(runner, request_), sandbox::BoxError);
  EXPECT_EQ(runner.specs.size(), 3u);
}

// An in-memory CompileCache: what the judge saves and restores, without disk.
class MemoryCompileCache : public judge::CompileCache {
 public:
  std::optional<std::string> restore(const std::string& key, const std::string& box_dir) override {
    auto it = entries.find(key);
    if (it == entries.end()) return std::nullopt;
    write_file(fs::path(box_dir) / "main", "restored binary");
    return it->second;
  }
  void save(const std::string& key, const std::string&, const std::string&,
            const std::string& compile_output) override {
    entries[key] = compile_output;
  }
  std::map<std::string, std::string> entries;
};


TEST_F(PipelineTest, ACachedCompileIsRestoredInsteadOfRun) {
  MemoryCompileCache cache;
  request_.compile_cache = &cache;
  request_.compile_key = "key";
  FakeRunner first({{ok(), "warning: x\n"}, {ok(), "3\n"}, {ok(), "30\n"}, {ok(), "5\n"}});
  JudgeOutcome compiled = judge::judge_submission(first, request_);
  EXPECT_FALSE(compiled.compile_cached);
  ASSERT_EQ(cache.entries.count("key"), 1u);

  FakeRunner second({{ok(), "3\n"}, {ok(), "30\n"}, {ok(), "5\n"}});  // No compile step.
  JudgeOutcome cached = judge::judge_submission(second, request_);
  EXPECT_TRUE(cached.compile_cached);
  EXPECT_EQ(cached.verdict, Verdict::AC);
  EXPECT_EQ(cached.compile_output, "warning: x\n") << "warnings come back with the binary";
  EXPECT_EQ(second.specs.front().argv, kRunArgv);
  EXPECT_EQ(second.remaining(), 0u);
}

TEST_F(PipelineTest, CompileErrorsAreNotCached) {
  MemoryCompileCache cache;
  request_.compile_cache = &cache;
  request_.compile_key = "key";
  FakeRunner runner({{exit_code(1), "error: nope\n"}});
  EXPECT_EQ(judge::judge_submission(runner, request_).verdict, Verdict::CE);
  EXPECT_TRUE(cache.entries.empty());
}

TEST(ExpandArgv, FillsThePlaceholdersPerSubmission) {
  judge::LanguageSpec cpp{"cpp", "main.cpp", {}, {}, {"cpp", "cc"}};
  judge::ArgvValues values{{"b.cpp", "a.h", "a.cc"}, "", 256 * 1024};
  EXPECT_EQ(judge::expand_argv({"g++", "-o", "main", "{files}", "-lm"}, cpp, values),
            (std::vector<std::string>{"g++", "-o", "main", "a.cc", "b.cpp", "-lm"}))
      << "only the language's sources, in name order; headers stay out";
  values.files = {"solution.txt"};
  EXPECT_EQ(judge::expand_argv({"g++", "{files}"}, cpp, values),
            (std::vector<std::string>{"g++", "solution.txt"}))
      << "a single file is the source whatever its name";
  judge::LanguageSpec java{"java", "Main.java", {}, {}, {"java"}};
  values = {{"Main.java"}, "Main", 256 * 1024};
  EXPECT_EQ(judge::expand_argv({"java", "-Xmx{heap_mib}m", "{entry_class}"}, java, values),
            (std::vector<std::string>{"java", "-Xmx160m", "Main"}));
  values.entry_point = "main.py";
  EXPECT_EQ(judge::expand_argv({"python3", "{entry}", "{entry}x"}, java, values),
            (std::vector<std::string>{"python3", "main.py", "main.pyx"}));
}

TEST(HeapMib, LeavesRoomForTheRuntime) {
  EXPECT_EQ(judge::heap_mib(64 * 1024), 32);
  EXPECT_EQ(judge::heap_mib(256 * 1024), 160);  // Half is 128: all but 96 MiB wins.
  EXPECT_EQ(judge::heap_mib(1024 * 1024), 928);
}

}  // namespace

// Scored problems (judge/scoring.h): the pure rules first, then the pipeline running groups.
namespace scoring {

using judge::GroupScore;
using judge::score_groups;
using judge::TestGroup;

const std::vector<TestGroup> kGroups = {{10, false}, {30, true}, {1, false}};

TEST(ScoreGroups, AllOrNothingPerGroupSummed) {
  struct Case {
    const char* what;
    std::vector<int> groups;
    std::vector<Verdict> verdicts;
    Verdict verdict;
    double score;
  };
  const Verdict AC = Verdict::AC, WA = Verdict::WA, TLE = Verdict::TLE;
  const Case cases[] = {
      {"all pass", {0, 1, 1, 2, 3}, {AC, AC, AC, AC, AC}, AC, 41},
      {"one test of group 1 fails", {0, 1, 1, 2, 3}, {AC, AC, WA, AC, AC}, WA, 31},
      {"first failure decides the verdict", {0, 1, 2, 2, 3}, {AC, TLE, AC, WA, AC}, TLE, 1},
      {"a failed sample scores nothing but decides", {0, 1, 2, 3}, {WA, AC, AC, AC}, WA, 41},
      {"skipped tests (shorter list) fail their group", {1, 1, 2, 3}, {WA}, WA, 0},
      {"nothing passes", {1, 2, 3}, {WA, WA, WA}, WA, 0},
  };
  for (const auto& c : cases) {
    GroupScore result = score_groups(kGroups, c.groups, c.verdicts);
    EXPECT_EQ(result.verdict, c.verdict) << c.what;
    EXPECT_DOUBLE_EQ(result.score, c.score) << c.what;
  }
}

TEST(ScoreGroups, FractionalPointsAddUp) {
  GroupScore result =
      score_groups({{0.5, false}, {0.25, false}}, {1, 2}, {Verdict::AC, Verdict::AC});
  EXPECT_DOUBLE_EQ(result.score, 0.75);
  EXPECT_EQ(result.verdict, Verdict::AC);
}

class ScoredPipelineTest : public PipelineTest {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    // Tests: 11 sample, 12 and 13 group 1 (break), 14 and 15 group 2 (continue), 16 group 3.
    add_test(14, "100 200\n", "300\n");
    add_test(15, "4 4\n", "8\n");
    add_test(16, "0 0\n", "0\n");
    const int groups[] = {0, 1, 1, 2, 2, 3};
    for (size_t i = 0; i < request_.tests.size(); ++i) request_.tests[i].group = groups[i];
    request_.groups = kGroups;
  }
};

TEST_F(ScoredPipelineTest, RunsEveryGroupAndScoresThePassedOnes) {
  // Test 12 is WA: 13 is skipped (group 1 breaks); 14 is TLE but 15 still runs (continue).
  FakeRunner runner({{ok()},
                     {ok(), "3\n"},
                     {ok(), "31\n"},
                     {killed(SIGKILL, LimitHit::CpuTime, 1200)},
                     {ok(), "8\n"},
                     {ok(), "0\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(runner.remaining(), 0u);
  EXPECT_EQ(outcome.verdict, Verdict::WA);  // The first failing test's verdict.
  ASSERT_TRUE(outcome.score.has_value());
  EXPECT_DOUBLE_EQ(*outcome.score, 1);  // Only group 3.
  std::vector<int> ordinals;
  for (const auto& t : outcome.tests) ordinals.push_back(t.ordinal);
  EXPECT_EQ(ordinals, (std::vector<int>{1, 2, 4, 5, 6}));
  EXPECT_EQ(outcome.tests[2].verdict, Verdict::TLE);
  EXPECT_EQ(outcome.max_run_ms, 1200);
}

TEST_F(ScoredPipelineTest, AllGroupsPassedIsAcWithTheFullScore) {
  FakeRunner runner({{ok()},
                     {ok(), "3\n"},
                     {ok(), "30\n"},
                     {ok(), "5\n"},
                     {ok(), "300\n"},
                     {ok(), "8\n"},
                     {ok(), "0\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::AC);
  EXPECT_DOUBLE_EQ(outcome.score.value_or(-1), 41);
  EXPECT_EQ(outcome.tests.size(), 6u);
}

TEST_F(ScoredPipelineTest, CompileErrorScoresZero) {
  FakeRunner runner({{exit_code(1), "", "error\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::CE);
  EXPECT_DOUBLE_EQ(outcome.score.value_or(-1), 0);
}

TEST_F(PipelineTest, PassFailHasNoScoreAndStopsAtTheFirstFailure) {
  FakeRunner runner({{ok()}, {ok(), "3\n"}, {ok(), "31\n"}});
  JudgeOutcome outcome = judge::judge_submission(runner, request_);
  EXPECT_EQ(outcome.verdict, Verdict::WA);
  EXPECT_FALSE(outcome.score.has_value());
  EXPECT_EQ(outcome.tests.size(), 2u);
  EXPECT_EQ(runner.remaining(), 0u);
}

}  // namespace scoring
