// Queue: the Redis side of the queue protocol (DESIGN.md "Queue protocol").
//
// One list per contest, `contest:submissions:<cid>`; producers LPUSH and register the key in the
// set `contest:queues`; consumers BRPOP over all known keys, rotating the key order per call.
// One Queue = one Redis connection; use one per thread. Redis failures throw QueueError.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace core {

struct QueueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr const char* kQueueRegistry = "contest:queues";
inline constexpr const char* kSubmissionKeyPrefix = "contest:submissions:";
inline constexpr const char* kRejudgeKeyPrefix = "contest:rejudges:";
// Submissions that failed internally too often (they got JE), with the reason, for a human.
// It shares the contest lists' prefix (issue 5 names it so), so "dead" is no valid contest id.
inline constexpr const char* kDeadLetterKey = "contest:submissions:dead";

std::string submission_queue_key(const std::string& contest_id);
std::string rejudge_queue_key(const std::string& contest_id);

struct QueueItem {
  int64_t submission_id = 0;
  std::string contest_id;
  bool rejudge = false;  // Pushed to contest:rejudges:<cid> (served after every live list).
};
std::string encode_queue_item(const QueueItem& item);
std::optional<QueueItem> decode_queue_item(std::string_view payload);  // Empty on garbage.

// The key order for the BRPOP number `turn`: submission keys rotated by turn, then rejudge keys
// rotated the same way (live submissions always win). Keys are classified by prefix.
std::vector<std::string> rotate_keys(const std::vector<std::string>& keys, uint64_t turn);

struct DeadLetter {
  int64_t submission_id = 0;
  std::string contest_id, reason, worker_id;
  int failures = 0;
};

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
};
// Parses redis://host[:port][/db]. Empty on a malformed URL.
std::optional<RedisAddress> parse_redis_url(std::string_view url);

class Queue {
 public:
  explicit Queue(const RedisAddress& address);
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  bool ping();  // Reconnects if needed; false when Redis is unreachable.
  void push(const QueueItem& item);  // LPUSH (live or rejudge list) + SADD registry.
  void push_dead_letter(const DeadLetter& letter);
  // Registry members plus SCAN MATCH contest:submissions:* (never KEYS).
  std::vector<std::string> discover_keys();
  // One BRPOP over keys (in the given order). Empty on timeout. The raw payload is returned too so
  // that garbage can be logged.
  struct Popped {
    std::string key, payload;
  };
  std::optional<Popped> pop(const std::vector<std::string>& keys, std::chrono::seconds timeout);
  int64_t length(const std::string& key);

  // Rate limits shared by every process on this Redis (sliding window on the Redis clock): admits
  // one more event under `key` when fewer than `limit` were admitted in the last window_ms;
  // otherwise says how long until the oldest of them leaves the window. Refusals are not counted.
  struct Admission {
    bool admitted = true;
    int64_t retry_after_ms = 0;
    int refused_by = -1;  // reserve(): index of the window that refused with the longest wait.
  };
  Admission admit(const std::string& key, int limit, int64_t window_ms);

  // Failed attempts counted in several windows at once (failed logins per account and per client
  // address): when every key holds fewer than its limit of members within window_ms, adds
  // `member` to each of them; otherwise adds nothing and says how long until every key would
  // admit. Atomic across processes, on the Redis clock like admit().
  struct Window {
    std::string key;
    int limit = 0;
  };
  Admission reserve(const std::vector<Window>& windows, int64_t window_ms,
                    const std::string& member);
  // Takes `member` out of the keys again: the attempt it stood for did not fail after all.
  void release(const std::vector<std::string>& keys, const std::string& member);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace core
