#include "services/auth_cache.h"

#include <gtest/gtest.h>

namespace api {
namespace {

Caller team1() { return Caller{true, "team1", core::Role::Team, "t1"}; }

TEST(BasicAuthCacheTest, HitsUntilExpiry) {
  BasicAuthCache cache(/*ttl_ms=*/100);
  EXPECT_FALSE(cache.find("k", 0));
  cache.insert("k", team1(), 0);
  auto hit = cache.find("k", 99);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->username, "team1");
  EXPECT_EQ(hit->team_id, "t1");
  EXPECT_FALSE(cache.find("k", 100));
  EXPECT_FALSE(cache.find("other", 0));
}

TEST(BasicAuthCacheTest, StaysBounded) {
  BasicAuthCache cache(/*ttl_ms=*/1000, /*capacity=*/2);
  cache.insert("a", team1(), 0);
  cache.insert("b", team1(), 0);
  cache.insert("c", team1(), 0);  // full of live entries: cleared, then c inserted
  EXPECT_TRUE(cache.find("c", 1));
  EXPECT_FALSE(cache.find("a", 1));
  cache.insert("d", team1(), 2000);  // c expired: only it is dropped
  EXPECT_TRUE(cache.find("d", 2001));
}

}  // namespace
}  // namespace api
