// Unit tests of cgroup_layout: parsing /proc/self/cgroup and /proc/self/mountinfo, detecting
// v1/v2 and choosing the box's cgroup dirs and files. The v2 cases are the only check of the v2
// path on this v1 machine.
#include "cgroup_layout.h"

#include <gtest/gtest.h>

namespace judge_box {
namespace {

// This machine: v1 per controller, a v2 hierarchy holding only hugetlb, a nested memory cgroup.
constexpr const char* kV1Cgroup =
    "9:name=systemd:/\n"
    "8:pids:/\n"
    "5:cpu,cpuacct:/\n"
    "4:memory:/process_api/abc\n"
    "0::/\n";
constexpr const char* kV1Mountinfo =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "37 31 0:34 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
    "40 22 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n";

// A container without a cgroup namespace: /proc/self/cgroup shows the host path, the mount's
// root is that path.
constexpr const char* kV2ContainerCgroup = "0::/docker/f00\n";
constexpr const char* kV2ContainerMountinfo =
    "800 700 0:40 /docker/f00 /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw,nsdelegate\n";

TEST(CgroupLayout, ParsesProcCgroupLines) {
  auto lines = parse_proc_cgroup(kV1Cgroup);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2].id, 5);
  EXPECT_EQ(lines[2].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_EQ(lines[3].path, "/process_api/abc");
  EXPECT_TRUE(lines[4].controllers.empty());
  EXPECT_EQ(lines[4].path, "/");
}

TEST(CgroupLayout, ParsesCgroupMountsOnly) {
  auto mounts = parse_cgroup_mounts(kV1Mountinfo);
  ASSERT_EQ(mounts.size(), 4u);
  EXPECT_EQ(mounts[0].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(mounts[0].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
  EXPECT_FALSE(mounts[0].v2);
  EXPECT_TRUE(mounts[3].v2);
  EXPECT_TRUE(mounts[3].controllers.empty());
}

TEST(CgroupLayout, DetectsTheVersion) {
  EXPECT_EQ(detect_version(kV1Cgroup, false), CgroupVersion::V1);  // Hybrid is v1 for us.
  EXPECT_EQ(detect_version("0::/\n", false), CgroupVersion::V2);
  EXPECT_EQ(detect_version(kV2ContainerCgroup, false), CgroupVersion::V2);
  EXPECT_EQ(detect_version(kV1Cgroup, true), CgroupVersion::V2);  // cgroup2fs at the root wins.
  EXPECT_EQ(detect_version("", false), CgroupVersion::V1);
}

TEST(CgroupLayout, V1OwnDirsFollowEachController) {
  auto self = parse_proc_cgroup(kV1Cgroup);
  auto mounts = parse_cgroup_mounts(kV1Mountinfo);
  EXPECT_EQ(own_dir(CgroupVersion::V1, self, mounts, "memory"),
            "/sys/fs/cgroup/memory/process_api/abc");
  EXPECT_EQ(own_dir(CgroupVersion::V1, self, mounts, "cpuacct"), "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(own_dir(CgroupVersion::V1, self, mounts, "pids"), "/sys/fs/cgroup/pids");
  EXPECT_EQ(own_dir(CgroupVersion::V1, self, mounts, "blkio"), std::nullopt);
}

TEST(CgroupLayout, V2OwnDirIsRelativeToTheMountRoot) {
  auto self = parse_proc_cgroup(kV2ContainerCgroup);
  auto mounts = parse_cgroup_mounts(kV2ContainerMountinfo);
  EXPECT_EQ(own_dir(CgroupVersion::V2, self, mounts, ""), "/sys/fs/cgroup");
  auto nested = parse_proc_cgroup("0::/docker/f00/worker\n");
  EXPECT_EQ(own_dir(CgroupVersion::V2, nested, mounts, ""), "/sys/fs/cgroup/worker");
  // Host layout: root "/" mounted at /sys/fs/cgroup.
  auto host = parse_cgroup_mounts("30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
  EXPECT_EQ(own_dir(CgroupVersion::V2, parse_proc_cgroup("0::/user.slice/x.scope\n"), host, ""),
            "/sys/fs/cgroup/user.slice/x.scope");
  EXPECT_EQ(own_dir(CgroupVersion::V2, parse_proc_cgroup("0::/\n"), host, ""), "/sys/fs/cgroup");
}

TEST(CgroupLayout, OwnPathOutsideTheMountRootFallsBackToTheMountPoint) {
  auto mounts = parse_cgroup_mounts(kV2ContainerMountinfo);
  EXPECT_EQ(own_dir(CgroupVersion::V2, parse_proc_cgroup("0::/other\n"), mounts, ""),
            "/sys/fs/cgroup");
  EXPECT_EQ(own_dir(CgroupVersion::V2, parse_proc_cgroup("0::/docker/f001\n"), mounts, ""),
            "/sys/fs/cgroup");
}

TEST(CgroupLayout, AHostTreeSeenFromAnotherNamespaceIsToldApart) {
  auto bound = parse_cgroup_mounts(
      "900 800 0:26 /../../.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");
  ASSERT_EQ(bound.size(), 1u);
  EXPECT_TRUE(outside_own_namespace(bound[0]));
  EXPECT_TRUE(outside_own_namespace(parse_cgroup_mounts(
      "900 800 0:26 /.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")[0]));
  EXPECT_FALSE(outside_own_namespace(parse_cgroup_mounts(kV2ContainerMountinfo)[0]));
  EXPECT_FALSE(outside_own_namespace(parse_cgroup_mounts(
      "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")[0]));
  EXPECT_FALSE(outside_own_namespace(parse_cgroup_mounts(
      "30 1 0:26 /..x /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")[0]));
}

TEST(CgroupLayout, FilesDifferAsDocumented) {
  CgroupFiles v1 = cgroup_files(CgroupVersion::V1);
  EXPECT_EQ(v1.memory_limit, "memory.limit_in_bytes");
  EXPECT_TRUE(v1.swap_limit_is_total);
  EXPECT_EQ(v1.cpu_usage, "cpuacct.usage");
  EXPECT_TRUE(v1.cpu_usage_resettable);
  EXPECT_EQ(v1.oom_events, "memory.oom_control");
  CgroupFiles v2 = cgroup_files(CgroupVersion::V2);
  EXPECT_EQ(v2.memory_limit, "memory.max");
  EXPECT_EQ(v2.swap_limit, "memory.swap.max");
  EXPECT_FALSE(v2.swap_limit_is_total);
  EXPECT_EQ(v2.cpu_usage, "cpu.stat");
  EXPECT_EQ(v2.cpu_usage_key, "usage_usec");
  EXPECT_EQ(v2.cpu_usage_ns_per_unit, 1000);
  EXPECT_FALSE(v2.cpu_usage_resettable);
  EXPECT_EQ(v2.oom_events, "memory.events");
  EXPECT_EQ(v2.memory_in_use_keys, (std::vector<std::string>{"anon", "shmem"}));
  EXPECT_TRUE(v2.resets.empty());
}

TEST(CgroupLayout, MissingControllersAreListedForSubtreeControl) {
  EXPECT_EQ(missing_controllers(""), "+memory +pids +cpu");
  EXPECT_EQ(missing_controllers("cpu io memory\n"), "+pids");
  EXPECT_EQ(missing_controllers("cpuset cpu io memory hugetlb pids rdma misc\n"), "");
}

TEST(CgroupLayout, UnavailableControllersAreNamed) {
  EXPECT_EQ(unavailable_controllers("cpuset cpu io memory hugetlb pids rdma misc\n"), "");
  EXPECT_EQ(unavailable_controllers("cpu io\n"), "memory pids");
  EXPECT_EQ(unavailable_controllers(""), "memory pids cpu");
}

TEST(CgroupLayout, BoxesAreSiblingsOfTheProcessesLeaf) {
  EXPECT_EQ(boxes_parent("/sys/fs/cgroup/system.slice/w.service"),
            "/sys/fs/cgroup/system.slice/w.service");
  EXPECT_EQ(boxes_parent("/sys/fs/cgroup/system.slice/w.service/judge-processes"),
            "/sys/fs/cgroup/system.slice/w.service");
  EXPECT_EQ(boxes_parent("/sys/fs/cgroup/x-judge-processes"), "/sys/fs/cgroup/x-judge-processes");
}

}  // namespace
}  // namespace judge_box
