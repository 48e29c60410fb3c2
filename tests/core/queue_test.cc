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

}  // namespace
