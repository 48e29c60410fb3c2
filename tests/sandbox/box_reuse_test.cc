// Integration tests of what the persistent helper adds: one Box reused for many runs, a killed
// helper replaced transparently, nothing left after ~Box, /box on a sized tmpfs, ReadWrite
// copy-out and the ReadOnly copy cache, the cgroup setup known once the helper started. Real
// namespaces and cgroups (root).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "sandbox_fixture.h"

namespace {

using namespace sandbox_test;  // NOLINT(google-build-using-namespace): the fixture

// Slots 740+: away from sandbox_test.cc's, since ctest runs both files' tests in parallel.
constexpr int kSlotOffset = 40;

// Host processes whose command line mentions tag (the helper and its zygote).
std::vector<int> processes_with_tag(const std::string& tag) {
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(entry.path() / "cmdline");
    if (cmdline.find(tag) != std::string::npos && std::stoi(name) != ::getpid())
      pids.push_back(std::stoi(name));
  }
  return pids;
}

TEST_F(SandboxTest, OneBoxRunsManyTimesWithChangingLimitsAndFreshCounters) {
  Box box = make_box(kSlotOffset + 0);
  std::string hog = compile_c("hog", kTouch200MiB);
  std::string bomb =
      compile_c("bomb", "#include <unistd.h>\nint main(void) { for (;;) fork(); }\n");
  int helper = -1;
  for (int round = 0; round < 3; ++round) {
    RunSpec mle = spec({hog});
    mle.limits.memory_kib = 64 * 1024;
    RunResult r = box.run(mle);
    EXPECT_TRUE(r.oom_killed);
    EXPECT_EQ(r.limit_hit, LimitHit::Memory);

    RunResult small = box.run(spec({"true"}));  // Default limit: raised again.
    EXPECT_TRUE(small.exited);
    EXPECT_FALSE(small.oom_killed);
    EXPECT_EQ(small.limit_hit, LimitHit::None);
    EXPECT_LT(small.peak_memory_kib, 16 * 1024) << "peak of the MLE run leaked into this one";

    RunSpec fb = spec({bomb});
    fb.limits.processes = 8;
    fb.limits.wall_ms = 1000;
    RunResult b = box.run(fb);
    EXPECT_EQ(b.limit_hit, LimitHit::Processes);

    RunResult after = box.run(spec({"sh", "-c", "true & wait"}));
    EXPECT_TRUE(after.exited);
    EXPECT_EQ(after.exit_code, 0) << stderr_text();
    EXPECT_EQ(after.limit_hit, LimitHit::None) << "pids.max events leaked from the fork bomb";
    EXPECT_LT(after.cpu_ms, 200);

    if (round == 0) helper = box.helper_pid();
    EXPECT_EQ(box.helper_pid(), helper) << "the helper should be reused";
  }
}

TEST_F(SandboxTest, KilledHelperIsReplacedByTheNextRun) {
  Box box = make_box(kSlotOffset + 1);
  ASSERT_TRUE(box.run(spec({"true"})).exited);
  int first = box.helper_pid();
  ASSERT_GT(first, 0);
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  RunResult r = box.run(spec({"sh", "-c", "echo again"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(stdout_text(), "again\n");
  EXPECT_NE(box.helper_pid(), first);
  EXPECT_GT(box.helper_pid(), 0);
}

TEST_F(SandboxTest, KilledZygoteIsReplacedByTheNextRun) {
  Box box = make_box(kSlotOffset + 7);
  ASSERT_TRUE(box.run(spec({"true"})).exited);
  int helper = box.helper_pid();
  // The zygote is the helper's only child between runs.
  std::string children = read_file("/proc/" + std::to_string(helper) + "/task/" +
                                   std::to_string(helper) + "/children");
  int zygote = std::atoi(children.c_str());
  ASSERT_GT(zygote, 0) << children;
  ASSERT_EQ(::kill(zygote, SIGKILL), 0);
  for (int i = 0; i < 3; ++i) {
    RunResult r = box.run(spec({"sh", "-c", "echo ok"}));
    EXPECT_TRUE(r.exited);
    EXPECT_EQ(stdout_text(), "ok\n");
  }
}

TEST_F(SandboxTest, DestroyingTheBoxLeavesNothingBehind) {
  std::string name;
  std::string tag;
  int helper = -1;
  {
    Box box = make_box(kSlotOffset + 2);
    tag = box.config().tag;
    name = tag + "-" + std::to_string(slot_);
    RunSpec s = spec({"sh", "-c", "sleep 30 & sleep 30 & echo started"});
    s.limits.wall_ms = 300;
    box.run(s);
    helper = box.helper_pid();
    EXPECT_FALSE(processes_with_tag(std::string("--tag") + '\0' + tag).empty());
  }
  expect_no_leftovers(name);
  // The helper, its zygote and init all carry the helper's command line.
  EXPECT_TRUE(processes_with_tag(std::string("--tag") + '\0' + tag).empty());
  EXPECT_GT(helper, 0);
}

TEST_F(SandboxTest, BoxTmpfsCannotGrowBeyondTheMemoryLimit) {
  Box box = make_box(kSlotOffset + 3);
  RunSpec s = spec({"sh", "-c", "dd if=/dev/zero of=big bs=1M count=256; ls -l big"});
  s.work_dir_access = WorkDirAccess::ReadWrite;
  s.limits.memory_kib = 32 * 1024;
  RunResult r = box.run(s);
  // Either the tmpfs said ENOSPC or the memory cgroup killed the writer: never the host disk.
  EXPECT_TRUE((r.exited && r.exit_code == 0) || r.oom_killed)
      << "exited=" << r.exited << " exit_code=" << r.exit_code << " signal=" << r.signal
      << " cpu_ms=" << r.cpu_ms << " wall_ms=" << r.wall_ms << " limit_hit="
      << sandbox::to_string(r.limit_hit) << "\n"
      << stderr_text();
  if (fs::exists(work_ / "big")) {
    EXPECT_LE(fs::file_size(work_ / "big"), 32u * 1024 * 1024);
  }
}

TEST_F(SandboxTest, ReadWriteRunCopiesRegularFilesBackButNoSymlinks) {
  Box box = make_box(kSlotOffset + 4);
  write_file(work_ / "hello.c", "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n");
  RunSpec compile = spec({"sh", "-c", "gcc -O2 -o hello hello.c && ln -s /etc/shadow link"});
  compile.work_dir_access = WorkDirAccess::ReadWrite;
  compile.limits.cpu_ms = 10000;
  compile.limits.wall_ms = 20000;
  compile.limits.memory_kib = 512 * 1024;
  RunResult c = box.run(compile);
  ASSERT_TRUE(c.exited);
  ASSERT_EQ(c.exit_code, 0) << stderr_text();
  ASSERT_TRUE(fs::is_regular_file(fs::symlink_status(work_ / "hello")));
  EXPECT_NE(fs::status(work_ / "hello").permissions() & fs::perms::owner_exec, fs::perms::none);
  EXPECT_FALSE(fs::exists(fs::symlink_status(work_ / "link")));
  // The host can run what came back.
  EXPECT_EQ(std::system((work_ / "hello > /dev/null").c_str()), 0);
}

TEST_F(SandboxTest, ReadOnlyRunSeesChangedWorkDirFiles) {
  Box box = make_box(kSlotOffset + 5);
  write_file(work_ / "data.txt", "one\n");
  ASSERT_TRUE(box.run(spec({"cat", "data.txt"})).exited);
  EXPECT_EQ(stdout_text(), "one\n");
  write_file(work_ / "data.txt", "two\n");  // Same size: only mtime/ctime tell.
  ASSERT_TRUE(box.run(spec({"cat", "data.txt"})).exited);
  EXPECT_EQ(stdout_text(), "two\n");
  fs::remove(work_ / "data.txt");
  RunResult gone = box.run(spec({"cat", "data.txt"}));
  EXPECT_NE(gone.exit_code, 0);
  RunResult w = box.run(spec({"sh", "-c", "echo x > /box/new"}));
  EXPECT_NE(w.exit_code, 0) << "a ReadOnly /box must not be writable";
}

TEST_F(SandboxTest, StackLimitFollowsTheMemoryLimit) {
  Box box = make_box(kSlotOffset + 6);
  RunSpec s = spec({"sh", "-c", "ulimit -s"});
  s.limits.memory_kib = 128 * 1024;
  RunResult r = box.run(s);
  ASSERT_TRUE(r.exited);
  rlimit host{};
  ASSERT_EQ(::getrlimit(RLIMIT_STACK, &host), 0);
  // As large as the memory limit, clamped to the hard limit we cannot raise.
  std::string expected = host.rlim_max == RLIM_INFINITY || host.rlim_max >= 128u * 1024 * 1024
                             ? "131072\n"
                             : std::to_string(host.rlim_max / 1024) + "\n";
  EXPECT_EQ(stdout_text(), expected);
}

TEST_F(SandboxTest, StartReportsTheCgroupVersionBeforeAnyRun) {
  Box box = make_box(kSlotOffset + 7);
  box.start();
  EXPECT_EQ(box.cgroup_version(), (host_cgroup_v2() ? "v2" : "v1"));
  const int pid = box.helper_pid();
  box.start();
  EXPECT_EQ(box.helper_pid(), pid) << "a running helper is kept";
  RunResult r = box.run(spec({"true"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(box.helper_pid(), pid) << "the run used the helper start() began";
}

}  // namespace
