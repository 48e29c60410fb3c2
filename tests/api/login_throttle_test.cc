#include "services/login_throttle.h"

#include <gtest/gtest.h>

#include "core/store.h"

namespace api {
namespace {

TEST(AddressBucketTest, CountsIpv4AsIsAndIpv6ByItsSlash64) {
  EXPECT_EQ(address_bucket("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(address_bucket("::ffff:203.0.113.7"), "203.0.113.7") << "IPv4-mapped is IPv4";
  EXPECT_EQ(address_bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(address_bucket("2001:db8:1:2::1"), address_bucket("2001:db8:1:2:ffff::9"))
      << "one host's /64 is one client";
  EXPECT_NE(address_bucket("2001:db8:1:2::1"), address_bucket("2001:db8:1:3::1"));
  EXPECT_EQ(address_bucket("::1"), "::/64");
  EXPECT_EQ(address_bucket(""), "");
  EXPECT_EQ(address_bucket("not an address"), "not an address");
}

TEST(LoginWindowsTest, AccountThenAddressWithoutTheRawUserName) {
  LoginLimits limits{20, 10, 60'000};
  auto windows = login_windows(limits, "team1", "::ffff:10.0.0.1");
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].key, "ratelimit:login:account:" + core::sha256_hex("team1"));
  EXPECT_EQ(windows[0].limit, 20);
  EXPECT_EQ(windows[1].key, "ratelimit:login:address:10.0.0.1");
  EXPECT_EQ(windows[1].limit, 10);
  EXPECT_NE(login_windows(limits, "Team1", "x")[0].key, windows[0].key) << "names are exact";
  limits.per_account = 0;
  windows = login_windows(limits, "team1", "10.0.0.1");
  ASSERT_EQ(windows.size(), 1u) << "0: no account limit";
  EXPECT_EQ(windows[0].key, "ratelimit:login:address:10.0.0.1");
  limits.per_address = 0;
  EXPECT_TRUE(login_windows(limits, "team1", "10.0.0.1").empty());
}

TEST(ThrottledErrorTest, NamesTheLimitAndRoundsTheWaitUp) {
  auto windows = login_windows(LoginLimits{20, 10, 60'000}, "team1", "10.0.0.1");
  auto account = throttled_error(windows, {false, 41'001, 0});
  EXPECT_EQ(account.status, 429);
  EXPECT_EQ(account.retry_after_seconds, 42);
  EXPECT_EQ(account.message, "too many failed logins for this account; retry in 42 s");
  auto address = throttled_error(windows, {false, 1, 1});
  EXPECT_EQ(address.retry_after_seconds, 1);
  EXPECT_EQ(address.message, "too many failed logins from this address; retry in 1 s");
  auto only_address = login_windows(LoginLimits{0, 10, 60'000}, "team1", "10.0.0.1");
  EXPECT_NE(throttled_error(only_address, {false, 5000, 0}).message.find("from this address"),
            std::string::npos)
      << "index 0 is the address's window when there is no account limit";
}

// The same rules as the Redis script (tests/core/queue_test.cc): all windows or none.
TEST(LocalWindowsTest, CountsInEveryWindowOrNone) {
  LocalWindows local;
  const std::vector<core::Queue::Window> both = {{"account", 3}, {"address", 2}};
  EXPECT_TRUE(local.reserve(both, 1000, "a1", 0).admitted);
  EXPECT_TRUE(local.reserve(both, 1000, "a2", 100).admitted);
  auto refused = local.reserve(both, 1000, "a3", 200);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.refused_by, 1);
  EXPECT_EQ(refused.retry_after_ms, 800) << "until a1 leaves the window";
  EXPECT_TRUE(local.reserve({{"account", 3}}, 1000, "b1", 300).admitted) << "a3 added nothing";
  EXPECT_FALSE(local.reserve({{"account", 3}}, 1000, "b2", 300).admitted);
  local.release({"account", "address"}, "a2");
  EXPECT_TRUE(local.reserve(both, 1000, "c1", 400).admitted) << "a2 no longer counts";
  EXPECT_FALSE(local.reserve(both, 1000, "c2", 999).admitted);
  EXPECT_TRUE(local.reserve(both, 1000, "c3", 1000).admitted) << "a1 left the window";
}

TEST(LocalWindowsTest, WaitsForTheOldestThatMustLeave) {
  LocalWindows local;
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(local.reserve({{"k", 3}}, 1000, "m" + std::to_string(i), i * 100).admitted);
  }
  // A lower limit (another process's configuration): two of the three must leave first.
  auto refused = local.reserve({{"k", 2}}, 1000, "x", 250);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after_ms, 850) << "the second oldest (at 100) leaves at 1100";
}

TEST(LocalWindowsTest, StaysBounded) {
  LocalWindows local(/*max_keys=*/2);
  EXPECT_TRUE(local.reserve({{"a", 1}}, 1000, "m", 0).admitted);
  EXPECT_TRUE(local.reserve({{"b", 1}}, 1000, "m", 0).admitted);
  EXPECT_TRUE(local.reserve({{"c", 1}}, 1000, "m", 10).admitted) << "full of live windows: cleared";
  EXPECT_TRUE(local.reserve({{"a", 1}}, 1000, "m", 20).admitted) << "a was forgotten";
  EXPECT_FALSE(local.reserve({{"c", 1}}, 1000, "m", 20).admitted) << "c was kept";
}

}  // namespace
}  // namespace api
