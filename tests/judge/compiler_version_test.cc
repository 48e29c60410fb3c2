// judge::compiler_version and its per-command memory against a scripted fake Runner (no root):
// the run it asks for, what counts as a version, and which commands are asked again.
#include "judge/compiler_version.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "files.h"

namespace {

namespace fs = std::filesystem;

using sandbox::RunResult;
using sandbox::RunSpec;

constexpr int64_t kVersionCpuMs = 10000;
constexpr size_t kVersionMaxBytes = 4096;

// One scripted run: its facts and what the command printed.
struct Step {
  RunResult result;
  std::string output;
};

RunResult exited(int code) { return {.exited = true, .exit_code = code}; }

// Returns the scripted steps in order, writing their output to the spec's stdout, and records
// every spec it was given.
class FakeRunner : public judge::Runner {
 public:
  RunResult run(const RunSpec& spec) override {
    specs.push_back(spec);
    if (steps.empty()) throw std::logic_error("FakeRunner: unexpected run");
    Step step = steps.front();
    steps.pop_front();
    testenv::write_file(spec.stdout_path, step.output);
    return step.result;
  }
  std::deque<Step> steps;
  std::vector<RunSpec> specs;
};

judge::LanguageSpec gcc() { return {"c", "main.c", {"/usr/bin/gcc", "-O2", "main.c"}, {"./a"}}; }

class CompilerVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/judge-version-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    root_ = dir_template;
    fs::create_directory(box());
    fs::create_directory(scratch());
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string box() const { return (root_ / "box").string(); }
  std::string scratch() const { return (root_ / "scratch").string(); }
  std::optional<std::string> version(const judge::LanguageSpec& language) {
    return judge::compiler_version(runner_, language, box(), scratch());
  }
  judge::CompilerVersions::Answer remembered(const judge::LanguageSpec& language) {
    return versions_.get(runner_, language, box(), scratch());
  }

  fs::path root_;
  FakeRunner runner_;
  judge::CompilerVersions versions_;
};

TEST(VersionCommand, IsTheCompilerWithDashDashVersionUnlessTheLanguageNamesOne) {
  EXPECT_EQ(judge::version_command(gcc()), (std::vector<std::string>{"/usr/bin/gcc", "--version"}));
  judge::LanguageSpec kotlin = gcc();
  kotlin.version_argv = {"kotlinc", "-version"};
  EXPECT_EQ(judge::version_command(kotlin), kotlin.version_argv);
}

TEST_F(CompilerVersionTest, RunsLikeACompileWithTenSecondsOfCpuAndReadsBothStreamsAsOne) {
  runner_.steps = {{exited(0), "gcc (Debian 12.2.0-14) 12.2.0\nCopyright\n"}};
  EXPECT_EQ(version(gcc()), "gcc (Debian 12.2.0-14) 12.2.0\nCopyright\n") << "all of the output";
  ASSERT_EQ(runner_.specs.size(), 1u);
  const RunSpec& spec = runner_.specs[0];
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"/usr/bin/gcc", "--version"}));
  EXPECT_EQ(spec.work_dir, box());
  EXPECT_EQ(spec.work_dir_access, sandbox::WorkDirAccess::ReadOnly);
  EXPECT_EQ(spec.stdout_path, scratch() + "/version.out");
  EXPECT_EQ(spec.stderr_path, spec.stdout_path);
  EXPECT_TRUE(spec.stdin_path.empty());
  EXPECT_EQ(spec.env, (std::vector<std::string>{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                                                "HOME=/box"}));
  const sandbox::Limits compile = judge::CompileLimits::defaults();
  EXPECT_EQ(spec.limits.cpu_ms, kVersionCpuMs);
  EXPECT_EQ(spec.limits.wall_ms, 2 * kVersionCpuMs);
  EXPECT_EQ(spec.limits.memory_kib, compile.memory_kib);
  EXPECT_EQ(spec.limits.processes, compile.processes);
  EXPECT_EQ(spec.limits.output_kib, compile.output_kib);
  EXPECT_EQ(spec.limits.open_files, compile.open_files);
}

TEST_F(CompilerVersionTest, KeepsTheFirstFourKibOfTheOutput) {
  const std::string warning = "OpenJDK 64-Bit Server VM warning: " + std::string(5000, 'x');
  runner_.steps = {{exited(0), warning + "\nkotlinc-jvm 1.8\n"}};
  EXPECT_EQ(version(gcc()), warning.substr(0, kVersionMaxBytes));
}

TEST_F(CompilerVersionTest, NoVersionUnlessTheCommandExitsZeroWithAFirstLine) {
  RunResult killed;
  killed.signal = 9;
  RunResult cpu_limit = exited(0);
  cpu_limit.exited = false;
  cpu_limit.limit_hit = sandbox::LimitHit::CpuTime;
  const Step failures[] = {
      {exited(1), "gcc: error: unrecognized option\n"},
      {killed, "gcc 12\n"},
      {cpu_limit, "gcc 12\n"},
      {exited(0), ""},
      {exited(0), "\nsecond line only\n"},
  };
  for (const Step& step : failures) {
    runner_.steps = {step};
    EXPECT_FALSE(version(gcc())) << "output: '" << step.output << "'";
  }
  EXPECT_EQ(runner_.specs.size(), std::size(failures));
}

TEST_F(CompilerVersionTest, ASandboxFailureIsThrownNotANoVersion) {
  class Failing : public judge::Runner {
   public:
    RunResult run(const RunSpec&) override { throw sandbox::BoxError("judge-box: no cgroup"); }
  } failing;
  EXPECT_THROW(judge::compiler_version(failing, gcc(), box(), scratch()), sandbox::BoxError);
}

TEST_F(CompilerVersionTest, AsksEachCommandOnceWhateverLanguageNamesIt) {
  runner_.steps = {{exited(0), "gcc 12\n"}, {exited(0), "kotlinc 1.8\n"}};
  judge::CompilerVersions::Answer first = remembered(gcc());
  EXPECT_TRUE(first.asked);
  EXPECT_EQ(first.version, "gcc 12\n");
  judge::LanguageSpec same_compiler = gcc();
  same_compiler.id = "c-debug";
  same_compiler.compile_argv = {"/usr/bin/gcc", "-g", "main.c"};
  judge::CompilerVersions::Answer again = remembered(same_compiler);
  EXPECT_FALSE(again.asked);
  EXPECT_EQ(again.version, "gcc 12\n");
  judge::LanguageSpec kotlin = gcc();
  kotlin.version_argv = {"kotlinc", "-version"};
  judge::CompilerVersions::Answer other = remembered(kotlin);
  EXPECT_TRUE(other.asked) << "another command";
  EXPECT_EQ(other.version, "kotlinc 1.8\n");
  EXPECT_EQ(runner_.specs.size(), 2u);
}

TEST_F(CompilerVersionTest, ACommandWithoutVersionIsAskedAgainNextTime) {
  runner_.steps = {{exited(1), ""}, {exited(0), "gcc 12\n"}};
  judge::CompilerVersions::Answer failed = remembered(gcc());
  EXPECT_TRUE(failed.asked);
  EXPECT_FALSE(failed.version);
  judge::CompilerVersions::Answer retried = remembered(gcc());
  EXPECT_TRUE(retried.asked);
  EXPECT_EQ(retried.version, "gcc 12\n");
  EXPECT_FALSE(remembered(gcc()).asked);
  EXPECT_EQ(runner_.specs.size(), 2u);
}

}  // namespace
