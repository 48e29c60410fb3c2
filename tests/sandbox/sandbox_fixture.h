// Shared fixture of the sandbox integration tests: a per-test work dir and io dir, one slot per
// test (so parallel ctest processes never share a uid or cgroup), host-side helpers.
#pragma once

#include <gtest/gtest.h>

#include "files.h"
#include "time_scale.h"
#include <signal.h>
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

#include "cgroup_layout.h"
#include "sandbox/sandbox.h"

namespace sandbox {
// Readable LimitHit values in failure messages.
inline void PrintTo(LimitHit limit, std::ostream* os) { *os << to_string(limit); }
}  // namespace sandbox

namespace sandbox_test {

namespace fs = std::filesystem;

// C source that allocates 200 MiB and touches every page (exits 10 if malloc fails).
inline constexpr const char* kTouch200MiB =
    "#include <stdlib.h>\n"
    "int main(void) {\n"
    "  size_t n = (size_t)200 << 20; volatile char* p = malloc(n);\n"
    "  if (!p) return 10;\n"
    "  for (size_t i = 0; i < n; i += 4096) p[i] = 1;\n"
    "  return 0;\n"
    "}\n";

using testenv::read_file;
using testenv::write_file;
using sandbox::Box;
using sandbox::BoxConfig;
using sandbox::BoxError;
using sandbox::LimitHit;
using sandbox::RunResult;
using sandbox::RunSpec;
using sandbox::WorkDirAccess;

constexpr int kBaseUid = 61000;  // judge-box's uid of slot 0.
// Slots 700+ keep tests away from the slots a worker on the same host would use.
constexpr int kFirstTestSlot = 700;



// Processes on the host (any pid namespace) running as uid.
inline std::vector<int> processes_of_uid(int uid) {
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::istringstream status(read_file(entry.path() / "status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) == 0) {
        std::istringstream fields(line.substr(4));
        int real_uid = -1;
        fields >> real_uid;
        if (real_uid == uid) pids.push_back(std::stoi(name));
      }
    }
  }
  return pids;
}

// True when judge-box uses cgroup v2 on this host (as cgroup.cc decides it).
inline bool host_cgroup_v2() {
  using namespace judge_box;
  return detect_version(read_file("/proc/self/cgroup"),
                        fs::exists("/sys/fs/cgroup/cgroup.controllers")) == CgroupVersion::V2;
}

// Where judge-box makes the cgroups of the box "judge-box-<name>" (as cgroup.cc computes it):
// below this process's own cgroup of each v1 controller, or, on v2, below its own cgroup (the
// parent of the processes' leaf once that exists).
inline std::vector<fs::path> box_cgroups(const std::string& name) {
  using namespace judge_box;
  const std::string self_text = read_file("/proc/self/cgroup");
  const auto self = parse_proc_cgroup(self_text);
  const auto mounts = parse_cgroup_mounts(read_file("/proc/self/mountinfo"));
  const bool v2 = host_cgroup_v2();
  auto own = [&](const std::string& controller) {
    auto dir = own_dir(v2 ? CgroupVersion::V2 : CgroupVersion::V1, self, mounts, controller);
    if (!dir) throw std::runtime_error("no cgroup for '" + controller + "'");
    // A container without a cgroup namespace: the mount point (as cgroup.cc falls back to).
    if (!fs::exists(fs::path(*dir) / "cgroup.procs")) dir = "/sys/fs/cgroup/" + controller;
    return fs::path(v2 ? boxes_parent(*dir) : *dir) / ("judge-box-" + name);
  };
  if (v2) return {own("")};
  return {own("memory"), own("pids"), own("cpuacct")};
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/sandbox-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    work_ = dir_template;
    // The box's uid must be able to enter a read-only work dir.
    fs::permissions(work_, fs::perms(0755));
    out_dir_ = work_.string() + "-io";
    fs::create_directory(out_dir_);
  }
  void TearDown() override {
    fs::remove_all(work_);
    fs::remove_all(out_dir_);
  }

  // One slot per test so that parallel ctest processes never share a uid or a cgroup.
  Box make_box(int slot_offset) {
    slot_ = kFirstTestSlot + slot_offset;
    return Box(BoxConfig{JUDGE_BOX_PATH, slot_, "test" + std::to_string(::getpid())});
  }

  // A spec running argv in the work dir, stdout/stderr captured outside it.
  RunSpec spec(std::vector<std::string> argv) {
    RunSpec s;
    s.argv = std::move(argv);
    s.work_dir = work_;
    s.stdout_path = out_dir_ / "stdout";
    s.stderr_path = out_dir_ / "stderr";
    // Generous defaults (tests that check a time limit set their own), scaled where everything
    // runs slower (the cgroup v2 guest's software emulation).
    s.limits.cpu_ms = testenv::scaled_ms(2000);
    s.limits.wall_ms = testenv::scaled_ms(5000);
    return s;
  }

  // Compiles a C program on the host into the work dir; returns its path inside the box.
  std::string compile_c(const std::string& name, const std::string& source) {
    fs::path src = out_dir_ / (name + ".c");
    write_file(src, source);
    std::string cmd = "gcc -O1 -o '" + (work_ / name).string() + "' '" + src.string() + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("host gcc failed: " + cmd);
    return "/box/" + name;
  }

  // Nothing of the slot "<tag>-<slot>" is left on the host: cgroups, root dir, processes.
  void expect_no_leftovers(const std::string& name) {
    for (const fs::path& dir : box_cgroups(name)) EXPECT_FALSE(fs::exists(dir)) << dir;
    EXPECT_FALSE(fs::exists("/run/judge-box/" + name));
    EXPECT_TRUE(processes_of_uid(box_uid()).empty());
  }

  std::string stdout_text() { return read_file(out_dir_ / "stdout"); }
  std::string stderr_text() { return read_file(out_dir_ / "stderr"); }
  int box_uid() const { return kBaseUid + slot_; }

  fs::path work_;
  fs::path out_dir_;
  int slot_ = kFirstTestSlot;
};

}  // namespace sandbox_test
