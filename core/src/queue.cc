#include "core/queue.h"

#include "core/timefmt.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

namespace core {

std::string submission_queue_key(const std::string& contest_id) {
  return kSubmissionKeyPrefix + contest_id;
}

std::string rejudge_queue_key(const std::string& contest_id) {
  return kRejudgeKeyPrefix + contest_id;
}

std::string encode_queue_item(const QueueItem& item) {
  return nlohmann::json{{"submission_id", std::to_string(item.submission_id)},
                        {"contest_id", item.contest_id}}
      .dump();
}

std::optional<QueueItem> decode_queue_item(std::string_view payload) {
  auto json = nlohmann::json::parse(payload, nullptr, false);
  if (!json.is_object() || !json.contains("submission_id") || !json.contains("contest_id") ||
      !json["submission_id"].is_string() || !json["contest_id"].is_string())
    return std::nullopt;
  const auto& id = json["submission_id"].get_ref<const std::string&>();
  QueueItem item;
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), item.submission_id);
  if (ec != std::errc() || ptr != id.data() + id.size() || item.submission_id <= 0)
    return std::nullopt;
  item.contest_id = json["contest_id"].get<std::string>();
  return item;
}

std::vector<std::string> rotate_keys(const std::vector<std::string>& keys, uint64_t turn) {
  std::vector<std::string> live, rejudge;
  for (const auto& key : keys)
    (key.rfind(kRejudgeKeyPrefix, 0) == 0 ? rejudge : live).push_back(key);
  auto rotated = [turn](std::vector<std::string> v) {
    if (!v.empty()) std::rotate(v.begin(), v.begin() + static_cast<long>(turn % v.size()), v.end());
    return v;
  };
  std::vector<std::string> out = rotated(std::move(live));
  for (auto& key : rotated(std::move(rejudge))) out.push_back(std::move(key));
  return out;
}

std::optional<RedisAddress> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
  url.remove_prefix(scheme.size());
  RedisAddress address;
  size_t slash = url.find('/');
  std::string_view hostport = url.substr(0, slash);
  size_t colon = hostport.rfind(':');
  address.host = std::string(hostport.substr(0, colon));
  if (address.host.empty()) return std::nullopt;
  auto parse_int = [](std::string_view s, int& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
  };
  if (colon != std::string_view::npos &&
      (!parse_int(hostport.substr(colon + 1), address.port) || address.port <= 0 ||
       address.port > 65535))
    return std::nullopt;
  if (slash != std::string_view::npos && slash + 1 < url.size() &&
      !parse_int(url.substr(slash + 1), address.db))
    return std::nullopt;
  return address;
}

struct Queue::Impl {
  RedisAddress address;
  redisContext* context = nullptr;

  ~Impl() { disconnect(); }
  void disconnect() {
    if (context) redisFree(context);
    context = nullptr;
  }
  redisContext* connection() {
    if (context && !context->err) return context;
    disconnect();
    timeval connect_timeout{2, 0};
    context = redisConnectWithTimeout(address.host.c_str(), address.port, connect_timeout);
    if (!context || context->err) {
      std::string why = context ? context->errstr : "out of memory";
      disconnect();
      throw QueueError("cannot connect to Redis at " + address.host + ":" +
                       std::to_string(address.port) + ": " + why);
    }
    // Longer than any BRPOP timeout we use, so a blocked pop is not cut short.
    timeval command_timeout{15, 0};
    redisSetTimeout(context, command_timeout);
    if (address.db != 0) freeReplyObject(command({"SELECT", std::to_string(address.db)}));
    return context;
  }
  // Runs one command; the reply is owned by the caller (freeReplyObject).
  redisReply* command(const std::vector<std::string>& args) {
    redisContext* ctx = connection();
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!reply) {
      std::string why = ctx->errstr;
      disconnect();
      throw QueueError("Redis " + args[0] + " failed: " + why);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      std::string why(reply->str, reply->len);
      freeReplyObject(reply);
      throw QueueError("Redis " + args[0] + " error: " + why);
    }
    return reply;
  }
};

namespace {
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;
}  // namespace

Queue::Queue(const RedisAddress& address) : impl_(std::make_unique<Impl>()) {
  impl_->address = address;
}
Queue::~Queue() = default;

bool Queue::ping() {
  try {
    Reply reply(impl_->command({"PING"}));
    return true;
  } catch (const QueueError&) {
    return false;
  }
}

void Queue::push(const QueueItem& item) {
  std::string key = item.rejudge ? rejudge_queue_key(item.contest_id)
                                 : submission_queue_key(item.contest_id);
  Reply pushed(impl_->command({"LPUSH", key, encode_queue_item(item)}));
  Reply registered(impl_->command({"SADD", kQueueRegistry, key}));
}

std::vector<std::string> Queue::discover_keys() {
  std::set<std::string> keys;
  Reply members(impl_->command({"SMEMBERS", kQueueRegistry}));
  for (size_t i = 0; i < members->elements; ++i)
    keys.emplace(members->element[i]->str, members->element[i]->len);
  for (const char* pattern : {"contest:submissions:*", "contest:rejudges:*"}) {
    std::string cursor = "0";
    do {
      Reply page(impl_->command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"}));
      if (page->type != REDIS_REPLY_ARRAY || page->elements != 2)
        throw QueueError("Redis SCAN returned an unexpected reply");
      cursor.assign(page->element[0]->str, page->element[0]->len);
      const redisReply* batch = page->element[1];
      for (size_t i = 0; i < batch->elements; ++i)
        keys.emplace(batch->element[i]->str, batch->element[i]->len);
    } while (cursor != "0");
  }
  keys.erase(kDeadLetterKey);  // Same prefix as the contest lists, but nothing to judge.
  return {keys.begin(), keys.end()};
}

void Queue::push_dead_letter(const DeadLetter& letter) {
  std::string payload = nlohmann::json{{"submission_id", std::to_string(letter.submission_id)},
                                       {"contest_id", letter.contest_id},
                                       {"reason", letter.reason},
                                       {"failures", letter.failures},
                                       {"worker", letter.worker_id},
                                       {"time", format_time(now_ms())}}
                            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  Reply pushed(impl_->command({"LPUSH", kDeadLetterKey, payload}));
}

std::optional<Queue::Popped> Queue::pop(const std::vector<std::string>& keys,
                                        std::chrono::seconds timeout) {
  if (keys.empty()) return std::nullopt;
  std::vector<std::string> args{"BRPOP"};
  args.insert(args.end(), keys.begin(), keys.end());
  args.push_back(std::to_string(timeout.count()));
  Reply reply(impl_->command(args));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) return std::nullopt;
  return Popped{std::string(reply->element[0]->str, reply->element[0]->len),
                std::string(reply->element[1]->str, reply->element[1]->len)};
}

int64_t Queue::length(const std::string& key) {
  Reply reply(impl_->command({"LLEN", key}));
  return reply->type == REDIS_REPLY_INTEGER ? reply->integer : 0;
}

namespace {

// One sorted set per key, scored by admission time (ms); one atomic script, so that concurrent
// API processes cannot both take the last slot. Answers {1, 0} or {0, retry_after_ms}.
constexpr const char* kAdmitScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, tonumber(oldest[2]) + window - now)}
)lua";

// reserve(): KEYS are the windows, ARGV[1] the window (ms), ARGV[2] the member, ARGV[2 + i] the
// limit of KEYS[i]. A key holding `limit` or more members admits again when enough of its oldest
// have left the window. Answers {1, 0, -1} or {0, retry_after_ms, index of the longest wait}.
constexpr const char* kReserveScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local wait, refused_by = 0, -1
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local over = redis.call('ZCARD', key) - tonumber(ARGV[i + 2])
  if over >= 0 then
    local leaving = redis.call('ZRANGE', key, over, over, 'WITHSCORES')
    local key_wait = math.max(1, tonumber(leaving[2]) + window - now)
    if key_wait > wait then wait, refused_by = key_wait, i - 1 end
  end
end
if refused_by >= 0 then return {0, wait, refused_by} end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, window)
end
return {1, 0, -1}
)lua";

constexpr const char* kReleaseScript = R"lua(
for _, key in ipairs(KEYS) do redis.call('ZREM', key, ARGV[1]) end
return 0
)lua";

bool is_integer_array(const redisReply* reply, size_t size) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != size) return false;
  for (size_t i = 0; i < size; ++i) {
    if (reply->element[i]->type != REDIS_REPLY_INTEGER) return false;
  }
  return true;
}

// Members of the window's set must be unique across processes and threads.
std::string unique_member() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return std::to_string(random()) + "-" + std::to_string(random());
}

}  // namespace

Queue::Admission Queue::admit(const std::string& key, int limit, int64_t window_ms) {
  Reply reply(impl_->command({"EVAL", kAdmitScript, "1", key, std::to_string(limit),
                              std::to_string(window_ms), unique_member()}));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[0]->type != REDIS_REPLY_INTEGER ||
      reply->element[1]->type != REDIS_REPLY_INTEGER)
    throw QueueError("Redis rate limit script returned an unexpected reply");
  return {reply->element[0]->integer == 1, reply->element[1]->integer};
}

Queue::Admission Queue::reserve(const std::vector<Window>& windows, int64_t window_ms,
                                const std::string& member) {
  if (windows.empty()) return {};
  std::vector<std::string> args{"EVAL", kReserveScript, std::to_string(windows.size())};
  for (const auto& window : windows) args.push_back(window.key);
  args.push_back(std::to_string(window_ms));
  args.push_back(member);
  for (const auto& window : windows) args.push_back(std::to_string(window.limit));
  Reply reply(impl_->command(args));
  if (!is_integer_array(reply.get(), 3))
    throw QueueError("Redis reserve script returned an unexpected reply");
  return {reply->element[0]->integer == 1, reply->element[1]->integer,
          static_cast<int>(reply->element[2]->integer)};
}

void Queue::release(const std::vector<std::string>& keys, const std::string& member) {
  if (keys.empty()) return;
  std::vector<std::string> args{"EVAL", kReleaseScript, std::to_string(keys.size())};
  args.insert(args.end(), keys.begin(), keys.end());
  args.push_back(member);
  Reply reply(impl_->command(args));
}

}  // namespace core
