// Integration tests of sandbox::Box and judge-box: real namespaces, cgroups and seccomp (root).
// Test programs are compiled on the host with the system gcc into a per-test work dir.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sandbox_fixture.h"

namespace {

using namespace sandbox_test;  // NOLINT(google-build-using-namespace): the fixture

TEST_F(SandboxTest, TrueExitsZeroWithSaneFacts) {
  Box box = make_box(0);
  RunResult r = box.run(spec({"true"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.limit_hit, LimitHit::None);
  EXPECT_FALSE(r.oom_killed);
  EXPECT_FALSE(r.output_truncated);
  EXPECT_GE(r.cpu_ms, 0);
  EXPECT_LT(r.cpu_ms, 500);
  EXPECT_LT(r.wall_ms, 2000);
  EXPECT_GT(r.peak_memory_kib, 0);
  EXPECT_LT(r.peak_memory_kib, 64 * 1024);
}

TEST_F(SandboxTest, ExitCodeIsReported) {
  Box box = make_box(1);
  RunResult r = box.run(spec({"sh", "-c", "exit 3"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.limit_hit, LimitHit::None);
}

TEST_F(SandboxTest, SegfaultIsReportedAsSignal11) {
  Box box = make_box(2);
  std::string prog = compile_c("segv", "int main(void) { *(volatile int*)0 = 1; return 0; }\n");
  RunResult r = box.run(spec({prog}));
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_EQ(r.limit_hit, LimitHit::None);
}

TEST_F(SandboxTest, CpuLoopHitsCpuLimit) {
  Box box = make_box(3);
  std::string prog =
      compile_c("loop", "int main(void) { for (volatile unsigned long x = 0;; ++x) {} }\n");
  RunSpec s = spec({prog});
  s.limits.cpu_ms = 300;
  // Generous: parallel tests (fork bombs included) may leave this one little of the 2 cores.
  s.limits.wall_ms = 30000;
  RunResult r = box.run(s);
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.limit_hit, LimitHit::CpuTime);
  EXPECT_GE(r.cpu_ms, 300);
  EXPECT_LT(r.wall_ms, 30000);
}

TEST_F(SandboxTest, SleepHitsWallLimit) {
  Box box = make_box(4);
  RunSpec s = spec({"sleep", "10"});
  s.limits.wall_ms = 300;
  RunResult r = box.run(s);
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.limit_hit, LimitHit::WallTime);
  EXPECT_GE(r.wall_ms, 300);
  EXPECT_LT(r.wall_ms, 2000);
  EXPECT_LT(r.cpu_ms, 200);
}

TEST_F(SandboxTest, TouchingMoreThanTheMemoryLimitIsKilled) {
  Box box = make_box(5);
  std::string prog = compile_c("mem", kTouch200MiB);
  RunSpec s = spec({prog});
  s.limits.memory_kib = 64 * 1024;
  RunResult r = box.run(s);
  EXPECT_FALSE(r.exited);
  EXPECT_TRUE(r.oom_killed);
  EXPECT_EQ(r.limit_hit, LimitHit::Memory);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST_F(SandboxTest, MemoryUnderTheLimitIsFineAndMeasured) {
  Box box = make_box(6);
  std::string prog = compile_c("mem100",
                               "#include <stdlib.h>\n"
                               "int main(void) {\n"
                               "  size_t n = (size_t)100 << 20; volatile char* p = malloc(n);\n"
                               "  for (size_t i = 0; i < n; i += 4096) p[i] = 1;\n"
                               "  return p[0] == 1 ? 0 : 1;\n"
                               "}\n");
  RunSpec s = spec({prog});
  s.limits.memory_kib = 256 * 1024;
  RunResult r = box.run(s);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_FALSE(r.oom_killed);
  EXPECT_GE(r.peak_memory_kib, 100 * 1024);
  EXPECT_LT(r.peak_memory_kib, 160 * 1024);
}

TEST_F(SandboxTest, OutputBeyondTheLimitIsTruncated) {
  Box box = make_box(7);
  std::string prog =
      compile_c("out",
                "#include <stdio.h>\n"
                "int main(void) {\n"
                "  static char block[1024];\n"
                "  for (int i = 0; i < 10 * 1024; ++i) fwrite(block, 1, sizeof block, stdout);\n"
                "  return 0;\n"
                "}\n");
  RunSpec s = spec({prog});
  s.limits.output_kib = 1024;
  RunResult r = box.run(s);
  EXPECT_TRUE(r.output_truncated);
  EXPECT_EQ(r.limit_hit, LimitHit::Output);
  EXPECT_EQ(fs::file_size(out_dir_ / "stdout"), 1024u * 1024u);
}

TEST_F(SandboxTest, ForkBombHitsProcessLimitAndLeavesNothingBehind) {
  std::string name;
  {
    Box box = make_box(8);
    name = box.config().tag + "-" + std::to_string(slot_);
    std::string prog =
        compile_c("bomb", "#include <unistd.h>\nint main(void) { for (;;) fork(); }\n");
    RunSpec s = spec({prog});
    s.limits.processes = 16;
    s.limits.cpu_ms = 500;
    s.limits.wall_ms = 1500;
    RunResult r = box.run(s);
    EXPECT_FALSE(r.exited);
    EXPECT_EQ(r.limit_hit, LimitHit::Processes);
    EXPECT_TRUE(processes_of_uid(box_uid()).empty());
  }
  expect_no_leftovers(name);
}

TEST_F(SandboxTest, ConnectingToAHostPortFails) {
  // A listener on the host's loopback that the box must not reach.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  Box box = make_box(9);
  std::string prog =
      compile_c("connect",
                "#include <arpa/inet.h>\n#include <netinet/in.h>\n#include <stdlib.h>\n"
                "#include <sys/socket.h>\n"
                "int main(int argc, char** argv) {\n"
                "  int s = socket(AF_INET, SOCK_STREAM, 0);\n"
                "  if (s < 0) return 2;\n"
                "  struct sockaddr_in a = {0};\n"
                "  a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1]));\n"
                "  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);\n"
                "  return connect(s, (struct sockaddr*)&a, sizeof a) == 0 ? 1 : 0;\n"
                "}\n");
  RunResult r = box.run(spec({prog, std::to_string(ntohs(addr.sin_port))}));
  ::close(listener);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0) << "1 = connected to the host, 2 = no socket at all";
}

TEST_F(SandboxTest, EnvironmentHasOnlyWhatWasPassed) {
  ::setenv("JUDGE_HOST_SECRET", "leak", 1);
  Box box = make_box(10);
  RunSpec s = spec({"env"});
  s.env = {"FOO=bar", "PATH=/usr/bin:/bin"};
  RunResult r = box.run(s);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(stdout_text(), "FOO=bar\nPATH=/usr/bin:/bin\n");
}

TEST_F(SandboxTest, DefaultPathIsTheOnlyAddedVariable) {
  Box box = make_box(11);
  RunResult r = box.run(spec({"env"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(stdout_text(), "PATH=/usr/bin:/bin\n");
}

TEST_F(SandboxTest, HostSecretsAndStdinPathAreInvisible) {
  Box box = make_box(12);
  fs::path input = out_dir_ / "secret-input";
  write_file(input, "data\n");
  RunSpec s = spec({"sh", "-c",
                    "cat /etc/shadow >/dev/null 2>&1 && exit 1;"
                    "ls /root >/dev/null 2>&1 && exit 2;"
                    "ls /work /home /var >/dev/null 2>&1 && exit 3;"
                    "test -e '" +
                        input.string() +
                        "' && exit 4;"
                        "read line; test \"$line\" = data || exit 5;"
                        "ls /proc/1 >/dev/null 2>&1 && exit 6;"
                        "exit 0"});
  s.stdin_path = input;
  RunResult r = box.run(s);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0) << "see the exit codes in the script";
}

TEST_F(SandboxTest, RunsAsTheUnprivilegedSlotUid) {
  Box box = make_box(13);
  RunResult r = box.run(spec({"sh", "-c", "id -u; id -g; id -G"}));
  EXPECT_TRUE(r.exited);
  std::string id = std::to_string(box_uid());
  EXPECT_EQ(stdout_text(), id + "\n" + id + "\n" + id + "\n");
}

TEST_F(SandboxTest, ReadOnlyWorkDirCannotBeWritten) {
  Box box = make_box(14);
  RunResult r = box.run(spec({"sh", "-c", "echo x > /box/file"}));
  EXPECT_TRUE(r.exited);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(work_ / "file"));
}

TEST_F(SandboxTest, OrphanIsKilledWhenTheProgramExits) {
  Box box = make_box(15);
  RunSpec s = spec({"sh", "-c", "sleep 30 & echo started"});
  s.limits.wall_ms = 3000;
  RunResult r = box.run(s);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_LT(r.wall_ms, 3000);
  EXPECT_EQ(stdout_text(), "started\n");
  EXPECT_TRUE(processes_of_uid(box_uid()).empty());
}

TEST_F(SandboxTest, Python3Runs) {
  Box box = make_box(16);
  RunResult r = box.run(spec({"python3", "-c", "print(1+1)"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0) << stderr_text();
  EXPECT_EQ(stdout_text(), "2\n");
}

TEST_F(SandboxTest, GccCompilesInAWritableWorkDirAndTheBinaryRuns) {
  Box box = make_box(17);
  write_file(work_ / "hello.c",
             "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n");
  RunSpec compile = spec({"gcc", "-O2", "-o", "hello", "hello.c"});
  compile.work_dir_access = WorkDirAccess::ReadWrite;
  compile.limits.cpu_ms = 10000;
  compile.limits.wall_ms = 20000;
  compile.limits.memory_kib = 512 * 1024;
  RunResult c = box.run(compile);
  ASSERT_TRUE(c.exited);
  ASSERT_EQ(c.exit_code, 0) << stderr_text();
  RunResult r = box.run(spec({"./hello"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(stdout_text(), "hello\n");
}

TEST_F(SandboxTest, MountAndUnshareAreDenied) {
  Box box = make_box(18);
  // Unprivileged unshare(CLONE_NEWUSER) would succeed without the seccomp filter.
  std::string prog = compile_c("escape",
                               "#define _GNU_SOURCE\n#include <errno.h>\n#include <sched.h>\n"
                               "#include <sys/mount.h>\n"
                               "int main(void) {\n"
                               "  if (unshare(CLONE_NEWUSER) == 0 || errno != EPERM) return 1;\n"
                               "  if (mount(\"none\", \"/tmp\", \"tmpfs\", 0, 0) == 0) return 2;\n"
                               "  return 0;\n"
                               "}\n");
  RunResult r = box.run(spec({prog}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0) << "1 = unshare allowed, 2 = mount allowed";
}

TEST_F(SandboxTest, ThreadsStillWork) {
  Box box = make_box(19);
  RunResult r = box.run(spec({"python3", "-c",
                              "import threading; t = threading.Thread(target=print, args=('t',)); "
                              "t.start(); t.join()"}));
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 0) << stderr_text();
  EXPECT_EQ(stdout_text(), "t\n");
}

TEST_F(SandboxTest, StaleLeftoversOfACrashedRunAreCleanedUp) {
  std::string name;
  {
    Box box = make_box(20);
    name = box.config().tag + "-" + std::to_string(slot_);
    fs::path stale = box_cgroups(name)[0];
    fs::create_directories(stale);
    fs::create_directories("/run/judge-box/" + name);
    pid_t sleeper = ::fork();
    ASSERT_GE(sleeper, 0);
    if (sleeper == 0) {
      ::execl("/bin/sleep", "sleep", "60", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    write_file(stale / "cgroup.procs", std::to_string(sleeper));
    RunResult r = box.run(spec({"true"}));
    EXPECT_TRUE(r.exited);
    int status = 0;
    ASSERT_EQ(::waitpid(sleeper, &status, 0), sleeper);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }
  expect_no_leftovers(name);
}

TEST_F(SandboxTest, MissingProgramIsABoxError) {
  Box box = make_box(21);
  try {
    box.run(spec({"no-such-program"}));
    FAIL() << "expected BoxError";
  } catch (const BoxError& e) {
    EXPECT_NE(std::string(e.what()).find("execve"), std::string::npos) << e.what();
  }
}

TEST_F(SandboxTest, BadWorkDirIsABoxErrorNamingTheOption) {
  Box box = make_box(22);
  RunSpec s = spec({"true"});
  s.work_dir = "/nonexistent-dir";
  try {
    box.run(s);
    FAIL() << "expected BoxError";
  } catch (const BoxError& e) {
    EXPECT_NE(std::string(e.what()).find("--work-dir"), std::string::npos) << e.what();
  }
}

TEST_F(SandboxTest, BadTagIsABoxErrorNamingTheOption) {
  Box box(BoxConfig{JUDGE_BOX_PATH, kFirstTestSlot + 23, "../etc"});
  try {
    box.run(spec({"true"}));
    FAIL() << "expected BoxError";
  } catch (const BoxError& e) {
    EXPECT_NE(std::string(e.what()).find("--tag"), std::string::npos) << e.what();
  }
}

TEST(SandboxStrings, LimitNames) {
  EXPECT_STREQ(sandbox::to_string(LimitHit::None), "none");
  EXPECT_STREQ(sandbox::to_string(LimitHit::CpuTime), "cpu");
  EXPECT_STREQ(sandbox::to_string(LimitHit::Processes), "processes");
}

}  // namespace
