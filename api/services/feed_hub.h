// FeedHub: streams event feeds on one thread of its own, so that long-lived feed connections
// never hold a Pistache request thread. It takes over a duplicate of the client socket (Pistache
// 0.0.5 cannot stream safely from another thread), writes the HTTP response itself (chunked
// NDJSON), polls the events outbox of each watched contest, and writes state events when the
// clock moves a contest's state. One Postgres connection serves all feeds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/model.h"
#include "parse/event_token.h"
#include "resources/event_feed.h"
#include "services/api_config.h"

namespace core {
class Metrics;
class Store;
}  // namespace core

namespace api {

class FeedHub {
 public:
  FeedHub(const ApiConfig& config, core::Metrics& metrics);
  ~FeedHub();
  FeedHub(const FeedHub&) = delete;
  FeedHub& operator=(const FeedHub&) = delete;

  void start();
  // Ends every feed (a clean end of the chunked body) and joins the thread.
  void stop();
  enum class Admission { Added, HubFull, ClientFull };
  // Takes ownership of fd (a connected client socket) unless the hub is full or stopped
  // (HubFull) or the caller has its share of feeds open (ClientFull: per account when logged
  // in, per address when anonymous). When refused, fd is closed and the caller answers on its
  // own copy of the connection.
  Admission add(int fd, const FeedStart& start);

  struct Feed;

 private:
  void run();
  void tick(int64_t now_ms);
  void refresh_contests(int64_t now_ms);
  void serve(Feed& feed, int64_t now_ms);
  void keep_alive(int64_t now_ms);  // When Postgres cannot be read.
  void remove_finished();

  ApiConfig config_;
  core::Metrics& metrics_;
  EventTokens tokens_;  // Names the events in the lines (the same key as the request threads').
  std::unique_ptr<core::Store> store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Feed>> incoming_;  // Guarded by mutex_.
  std::vector<std::unique_ptr<Feed>> feeds_;     // Hub thread only.
  std::atomic<size_t> open_count_{0};            // feeds_.size(), for add().
  std::map<std::string, int> per_client_;         // Open feeds by client_key(); mutex_.
  std::map<std::string, core::Contest> contests_;
  std::map<std::string, int64_t> last_ids_;
  // Per contest: its change counter and state when its awards were last recorded.
  std::map<std::string, std::string> awards_keys_;
  int64_t contests_refreshed_ms_ = 0;
  bool failing_ = false;  // The last tick failed (Postgres down): warned once.
  std::thread thread_;
};

}  // namespace api
