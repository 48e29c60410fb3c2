// The self-check through the real sandbox on this host (root): every enforcement holds, the
// helper names the cgroup setup this process sees, and the check is quick and leaves nothing.
// Slot 723: away from the other sandbox tests' slots.
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include "sandbox/self_check.h"
#include "sandbox_fixture.h"
#include "time_scale.h"

namespace {

using namespace sandbox_test;  // NOLINT(google-build-using-namespace): the fixture

TEST_F(SandboxTest, SelfCheckFindsEveryEnforcementOnThisHost) {
  std::string name;
  {
    Box box = make_box(23);
    name = box.config().tag + "-" + std::to_string(slot_);
    EXPECT_EQ(box.cgroup_version(), "") << "unknown before the helper started";
    sandbox::SelfCheck check = sandbox::self_check(box, work_);
    for (const auto& s : check.shortfalls) ADD_FAILURE() << s.reason;
    EXPECT_EQ(check.cgroup, (host_cgroup_v2() ? "v2" : "v1"));
    EXPECT_EQ(box.cgroup_version(), check.cgroup);
    utsname u{};
    ASSERT_EQ(::uname(&u), 0);
    EXPECT_EQ(check.kernel, u.release);
    // Well under a second natively; generous for a loaded machine or an emulated guest.
    EXPECT_LT(check.ms, testenv::scaled_ms(5000));
    std::cout << "self-check: cgroup=" << check.cgroup << " kernel=" << check.kernel
              << " ms=" << check.ms << "\n";
  }
  expect_no_leftovers(name);
}

}  // namespace
