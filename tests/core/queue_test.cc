// core::Queue against the real Redis started by scripts/test.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <algorithm>

#include "core/queue.h"
#include "test_env.h"

namespace {

std::string unique_contest(const std::string& base) {
  return base + "-" + std::to_string(getpid());
}

TEST(Queue, PushRegistersTheKeyAndPopIsFifo) {
  core::Queue queue(testenv::redis_address());
  std::string cid = unique_contest("fifo");
  queue.push({1, cid});
  queue.push({2, cid});
  auto keys = queue.discover_keys();
  std::string key = core::submission_queue_key(cid);
  EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end());
  auto first = queue.pop({key}, std::chrono::seconds(1));
  auto second = queue.pop({key}, std::chrono::seconds(1));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(core::decode_queue_item(first->payload)->submission_id, 1);
  EXPECT_EQ(core::decode_queue_item(second->payload)->submission_id, 2);
  EXPECT_FALSE(queue.pop({key}, std::chrono::seconds(1))) << "empty list times out";
}

TEST(Queue, DiscoversListsThatAreNotRegistered) {
  core::Queue queue(testenv::redis_address());
  std::string cid = unique_contest("unregistered");
  // A producer whose SADD was lost: only SCAN can find this list.
  std::string key = core::submission_queue_key(cid);
  auto address = testenv::redis_address();
  redisContext* raw = redisConnect(address.host.c_str(), address.port);
  ASSERT_TRUE(raw && !raw->err);
  freeReplyObject(redisCommand(raw, "SELECT %d", address.db));
  freeReplyObject(redisCommand(raw, "LPUSH %s %s", key.c_str(),
                               core::encode_queue_item({7, cid}).c_str()));
  redisFree(raw);
  auto keys = queue.discover_keys();
  EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end());
  ASSERT_TRUE(queue.pop({key}, std::chrono::seconds(1)));
}

TEST(Queue, MultiKeyPopServesTheFirstNonEmptyKeyInOrder) {
  core::Queue queue(testenv::redis_address());
  std::string a = unique_contest("mk-a"), b = unique_contest("mk-b");
  queue.push({1, a});
  queue.push({2, b});
  std::vector<std::string> keys = {core::submission_queue_key(a), core::submission_queue_key(b)};
  auto popped = queue.pop(core::rotate_keys(keys, 1), std::chrono::seconds(1));
  ASSERT_TRUE(popped);
  EXPECT_EQ(popped->key, keys[1]) << "rotation put b first";
  ASSERT_TRUE(queue.pop(keys, std::chrono::seconds(1)));
}

TEST(Queue, ReportsAnUnreachableRedis) {
  core::Queue queue({"127.0.0.1", 1, 0});
  EXPECT_FALSE(queue.ping());
  EXPECT_THROW(queue.push({1, "x"}), core::QueueError);
}

// The submission rate limit's primitive: a sliding window shared by every connection.
TEST(Queue, AdmitSharesOneSlidingWindowAcrossConnections) {
  auto address = testenv::redis_address();
  address.db = 8;  // Rate-limit tests' own db.
  core::Queue first(address), second(address);
  const std::string key = "ratelimit:test:" + unique_contest("admit");
  constexpr int64_t kWindowMs = 1500;
  EXPECT_TRUE(first.admit(key, 3, kWindowMs).admitted);
  EXPECT_TRUE(second.admit(key, 3, kWindowMs).admitted);
  EXPECT_TRUE(first.admit(key, 3, kWindowMs).admitted);
  auto refused = second.admit(key, 3, kWindowMs);
  EXPECT_FALSE(refused.admitted) << "the fourth within the window, from another connection";
  EXPECT_GT(refused.retry_after_ms, 0);
  EXPECT_LE(refused.retry_after_ms, kWindowMs);
  EXPECT_FALSE(first.admit(key, 3, kWindowMs).admitted) << "refusals do not free a slot";
  EXPECT_TRUE(testenv::eventually([&] { return first.admit(key, 3, kWindowMs).admitted; },
                                  static_cast<int>(kWindowMs) + 2000))
      << "the window slides: the oldest admissions expire";
  EXPECT_TRUE(first.admit(key + "-other", 1, kWindowMs).admitted) << "keys are independent";
}

// The failed-login windows' primitive: one attempt counts in every window or in none.
TEST(Queue, ReserveCountsInEveryWindowOrNone) {
  auto address = testenv::redis_address();
  address.db = 8;
  core::Queue first(address), second(address);
  const std::string account = "ratelimit:test:" + unique_contest("account");
  const std::string client = "ratelimit:test:" + unique_contest("client");
  constexpr int64_t kWindowMs = 60'000;
  const std::vector<core::Queue::Window> both = {{account, 3}, {client, 2}};
  EXPECT_TRUE(first.reserve(both, kWindowMs, "a1").admitted);
  EXPECT_TRUE(second.reserve(both, kWindowMs, "a2").admitted);
  auto refused = first.reserve(both, kWindowMs, "a3");
  EXPECT_FALSE(refused.admitted) << "the client's window is full (2)";
  EXPECT_EQ(refused.refused_by, 1);
  EXPECT_GT(refused.retry_after_ms, kWindowMs - 5000);
  EXPECT_LE(refused.retry_after_ms, kWindowMs);
  // The refusal added nothing: the account's window still has room for exactly one more.
  EXPECT_TRUE(first.reserve({{account, 3}}, kWindowMs, "b1").admitted);
  auto full = first.reserve({{account, 3}}, kWindowMs, "b2");
  EXPECT_FALSE(full.admitted);
  EXPECT_EQ(full.refused_by, 0);
  second.release({account, client}, "a2");  // That attempt turned out not to count.
  EXPECT_TRUE(first.reserve(both, kWindowMs, "c1").admitted) << "released from both windows";
  EXPECT_FALSE(first.reserve({{account, 3}}, kWindowMs, "c2").admitted);
  EXPECT_TRUE(first.reserve({}, kWindowMs, "c3").admitted) << "no window: nothing to refuse";
}

TEST(Queue, ReserveWindowsSlide) {
  auto address = testenv::redis_address();
  address.db = 8;
  core::Queue queue(address);
  const std::vector<core::Queue::Window> one = {{"ratelimit:test:" + unique_contest("slide"), 1}};
  constexpr int64_t kWindowMs = 1500;
  EXPECT_TRUE(queue.reserve(one, kWindowMs, "x").admitted);
  EXPECT_FALSE(queue.reserve(one, kWindowMs, "y").admitted);
  EXPECT_TRUE(testenv::eventually([&] { return queue.reserve(one, kWindowMs, "z").admitted; },
                                  static_cast<int>(kWindowMs) + 2000))
      << "the oldest attempt leaves the window";
}

}  // namespace
