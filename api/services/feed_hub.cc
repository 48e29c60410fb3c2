#include "services/feed_hub.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <set>

#include "core/contest_reads.h"
#include "core/event_log.h"
#include "core/metrics.h"
#include "core/timefmt.h"
#include "resources/serialize.h"

namespace api {
namespace {

constexpr int kBatch = 500;                      // Events read per query and feed.
constexpr int64_t kStalledMs = 30'000;           // A client that reads nothing this long is dropped.
constexpr int64_t kContestRefreshMs = 1000;      // State events lag the clock by at most this.
constexpr const char* kFeedsMetric = "judge_api_event_feeds";
constexpr const char* kFeedEventsMetric = "judge_api_event_feed_events_total";

constexpr const char* kResponseHead =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/x-ndjson\r\n"
    "Cache-Control: no-cache\r\n"
    "Connection: close\r\n"
    "Transfer-Encoding: chunked\r\n\r\n";

std::string chunk(const std::string& data) {
  char size[20];
  int n = snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size, n) + data + "\r\n";
}

// Whose share of the feeds a feed counts against: a login's, or an anonymous address's (a
// venue behind one NAT address would otherwise share one small limit among all its teams).
std::string client_key(const FeedStart& start) {
  return start.caller.authenticated ? "account " + start.caller.username
                                    : "address " + start.client_address;
}

// True when the client hung up (or the socket failed): nothing we send will be read.
bool peer_gone(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

}  // namespace

struct FeedHub::Feed {
  int fd = -1;
  FeedStart start;
  std::string client;        // client_key(start).
  int64_t cursor = 0;        // Id of the last event passed (sent or hidden).
  std::string out;           // Bytes not yet accepted by the socket.
  int64_t last_write_ms = 0;
  int64_t stalled_since_ms = 0;
  bool ending = false;       // The final chunk is queued; close once it is out.

  ~Feed() { close(); }

  void close() {
    if (fd < 0) return;
    ::shutdown(fd, SHUT_RDWR);  // Pistache sees the end of its copy of the connection too.
    ::close(fd);
    fd = -1;
  }

  // Writes what the socket takes now. False when the connection is broken.
  bool flush(int64_t now_ms) {
    while (!out.empty()) {
      ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) return false;
      out.erase(0, static_cast<size_t>(n));
      last_write_ms = now_ms;
      stalled_since_ms = 0;
    }
    if (!out.empty() && stalled_since_ms == 0) stalled_since_ms = now_ms;
    return true;
  }

  // CLICS: a newline at least every 120 s keeps an idle feed alive.
  void keep_alive_if_idle(int64_t now_ms, int64_t keepalive_ms) {
    if (out.empty() && !ending && now_ms - last_write_ms >= keepalive_ms) out += chunk("\n");
  }
};

FeedHub::FeedHub(const ApiConfig& config, core::Metrics& metrics)
    : config_(config), metrics_(metrics), tokens_(config.jwt_secret) {}

FeedHub::~FeedHub() { stop(); }

void FeedHub::start() {
  metrics_.describe(kFeedsMetric, "gauge", "Open event-feed connections.");
  metrics_.describe(kFeedEventsMetric, "counter", "Events sent on event feeds.");
  metrics_.set(kFeedsMetric, "", 0);
  thread_ = std::thread([this] { run(); });
}

void FeedHub::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // End each response properly so that clients can tell a shutdown from a broken connection.
  const int64_t now = core::now_ms();
  for (auto& feed : feeds_) {
    feed->out += "0\r\n\r\n";
    feed->flush(now);
  }
  feeds_.clear();
  incoming_.clear();
}

FeedHub::Admission FeedHub::add(int fd, const FeedStart& start) {
  const std::string client = client_key(start);
  const int client_limit = start.caller.authenticated ? config_.max_feeds_per_account
                                                      : config_.max_feeds_per_address;
  {
    std::lock_guard lock(mutex_);
    const size_t open = open_count_ + incoming_.size();
    Admission refusal = Admission::Added;
    if (stopping_ || open >= static_cast<size_t>(config_.max_event_feeds)) {
      refusal = Admission::HubFull;
    } else if (per_client_[client] >= client_limit) {
      refusal = Admission::ClientFull;
    }
    if (refusal != Admission::Added) {
      if (per_client_[client] == 0) per_client_.erase(client);
      ::close(fd);  // Only our copy: the caller still answers on the connection.
      return refusal;
    }
    ++per_client_[client];
    auto feed = std::make_unique<Feed>();
    feed->fd = fd;
    feed->start = start;
    feed->client = client;
    feed->cursor = start.after_id;
    feed->out = kResponseHead;
    incoming_.push_back(std::move(feed));
  }
  wake_.notify_all();
  return Admission::Added;
}

void FeedHub::run() {
  const auto period = std::chrono::milliseconds(config_.feed_poll_ms);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    for (auto& feed : incoming_) feeds_.push_back(std::move(feed));
    incoming_.clear();
    open_count_ = feeds_.size();
    lock.unlock();
    try {
      tick(core::now_ms());
      if (failing_) spdlog::info("event feeds serving again");
      failing_ = false;
    } catch (const std::exception& e) {
      // Postgres down: keep the connections (keep-alives continue), retry on the next tick.
      // One warning per outage, not one per tick.
      if (!failing_) spdlog::warn("event feed tick failed error={}", log_quote(e.what()));
      failing_ = true;
      store_.reset();
      keep_alive(core::now_ms());
    }
    metrics_.set(kFeedsMetric, "", static_cast<double>(feeds_.size()));
    lock.lock();
    wake_.wait_for(lock, period, [this] { return stopping_ || !incoming_.empty(); });
  }
}

void FeedHub::tick(int64_t now_ms) {
  if (!store_) store_ = std::make_unique<core::Store>(config_.database_url);
  if (now_ms - contests_refreshed_ms_ >= kContestRefreshMs) refresh_contests(now_ms);
  last_ids_.clear();
  for (const auto& feed : feeds_) {
    const std::string& cid = feed->start.contest_id;
    if (!last_ids_.count(cid)) last_ids_[cid] = core::EventLog(*store_).last_event_id(cid);
  }
  for (auto& feed : feeds_) serve(*feed, now_ms);
  remove_finished();
}

// Without Postgres no event can be read, but idle feeds still get their newlines (a client
// would take a long silence for a dead server) and clients that left are still dropped.
void FeedHub::keep_alive(int64_t now_ms) {
  for (auto& feed : feeds_) {
    if (feed->fd < 0) continue;
    if (peer_gone(feed->fd) || !feed->flush(now_ms)) {
      feed->close();
      continue;
    }
    feed->keep_alive_if_idle(now_ms, config_.feed_keepalive_seconds * 1000LL);
    if (!feed->flush(now_ms)) feed->close();
  }
  remove_finished();
}

void FeedHub::remove_finished() {
  std::lock_guard lock(mutex_);
  std::erase_if(feeds_, [this](const auto& feed) {
    if (feed->fd >= 0 && !(feed->ending && feed->out.empty())) return false;
    if (--per_client_[feed->client] <= 0) per_client_.erase(feed->client);
    return true;
  });
}

// Re-reads the contests (for start times) and writes a state event where the clock moved one,
// and awards events where the awards changed: recomputed only when the contest's change counter
// or its state moved since the last look (awards follow from nothing else), so an idle contest
// costs one small read a second.
void FeedHub::refresh_contests(int64_t now_ms) {
  contests_.clear();
  core::ContestReads reads(*store_);
  for (auto& contest : reads.contests()) {
    core::EventLog log(*store_);
    log.record_state(contest.id, now_ms);
    std::string key = std::to_string(reads.contest_changes(contest.id)) + " " +
                      core::state_json(core::contest_state(contest, now_ms)).dump();
    if (awards_keys_[contest.id] != key) {
      log.record_awards(contest.id, now_ms);
      awards_keys_[contest.id] = std::move(key);
    }
    contests_.emplace(contest.id, std::move(contest));
  }
  contests_refreshed_ms_ = now_ms;
}

void FeedHub::serve(Feed& feed, int64_t now_ms) {
  auto drop = [&feed] { feed.close(); };
  if (peer_gone(feed.fd) || !feed.flush(now_ms)) return drop();
  if (!feed.out.empty()) {
    if (now_ms - feed.stalled_since_ms > kStalledMs) drop();
    return;
  }
  if (feed.ending) return;
  auto contest = contests_.find(feed.start.contest_id);
  const bool started = contest != contests_.end() && contest_started(contest->second, now_ms);
  bool caught_up = feed.cursor >= last_ids_[feed.start.contest_id];
  // The cursor moves with the lines only once all reads succeeded: a read that throws halfway
  // must not skip the events of the lines that are then never sent.
  int64_t cursor = feed.cursor;
  const Viewer viewer{feed.start.caller, feed.start.strictness};
  std::string lines;
  while (!caught_up && lines.size() < (1u << 20)) {
    auto events = core::EventLog(*store_).events(feed.start.contest_id, cursor, kBatch);
    bool waiting = false;
    for (const auto& event : events) {
      auto visibility = event_visibility(feed.start.caller, event, started);
      if (visibility == Visibility::Wait) {
        waiting = true;
        break;
      }
      if (visibility == Visibility::Show || visibility == Visibility::Delete) {
        lines += feed_line(event, tokens_.encode(event.id), visibility, viewer);
        metrics_.inc(kFeedEventsMetric);
      }
      cursor = event.id;
    }
    caught_up = waiting || events.size() < static_cast<size_t>(kBatch);
  }
  feed.cursor = cursor;
  if (!lines.empty()) feed.out += chunk(lines);
  feed.keep_alive_if_idle(now_ms, config_.feed_keepalive_seconds * 1000LL);
  if (caught_up && !feed.start.stream) {
    feed.out += "0\r\n\r\n";
    feed.ending = true;
  }
  if (!feed.flush(now_ms)) drop();
}

}  // namespace api
