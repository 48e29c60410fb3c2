// The serialized scoreboard rows, cached per contest and view, keyed on database state.
//
// Several API processes and the workers write verdicts, so nothing here is invalidated from
// inside the process: each request reads the contest's change counter
// (ContestReads::contest_changes) and the contest row, and an entry serves only requests with
// exactly that key. Time matters only through the freeze (part of the key: the hidden_from instant
// of the caller's view), the start (part of the key: whether the view shows problems yet) and
// through submissions that start to count later (an entry expires at its valid_until). Concurrent
// misses on one key compute once; the others wait for that result. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "core/model.h"
#include "http/body_encoding.h"

namespace api {

struct ScoreboardKey {
  std::string contest_id;
  int64_t changes = 0;                 // ContestReads::contest_changes, read before the data.
  std::optional<int64_t> hidden_from;  // core::scoreboard_hidden_from of the caller's view.
  // The contest's fields that shape the rows (a setup upsert may change them without an event).
  std::optional<int64_t> start_ms;
  int64_t duration_ms = 0;
  int penalty_minutes = 0;
  std::string scoreboard_type;
  // core::scoreboard_shows_problems of the caller's view: before the start the public board
  // differs from the jury's even without a freeze, and it changes at the start by time alone.
  bool problems_shown = true;

  bool operator==(const ScoreboardKey&) const = default;
};

ScoreboardKey scoreboard_key(const core::Contest& contest, int64_t changes,
                             std::optional<int64_t> hidden_from);

// Made once per computed board for every response of it: the gzip'd tail of the body (see
// scoreboard_tail) and a digest of the rows for the ETag.
struct RowsExtras {
  DeflatedTail gzip_tail;
  std::string digest;
};

// One computed board: its rows as JSON text, and until when (epoch ms) they stay right.
struct ScoreboardRows {
  std::shared_ptr<const std::string> text;
  std::optional<int64_t> valid_until;  // Empty: as long as the key holds.
  std::shared_ptr<const RowsExtras> extras;  // May be empty (then no gzip, no ETag).
};

class ScoreboardCache {
 public:
  enum class Source { Hit, Computed, Waited };
  struct Result {
    std::shared_ptr<const std::string> text;
    Source source = Source::Computed;
    std::shared_ptr<const RowsExtras> extras;
  };
  using Compute = std::function<ScoreboardRows()>;

  // Keeps at most `capacity` boards (one per contest, hidden_from and problems_shown), dropping
  // the least recently used; 0 disables caching: every call computes.
  explicit ScoreboardCache(size_t capacity) : capacity_(capacity) {}

  // The rows for `key` at `now_ms`: cached, or from compute() (whose exceptions propagate to
  // every caller waiting for it, and leave nothing cached).
  Result rows(const ScoreboardKey& key, int64_t now_ms, const Compute& compute);

  size_t size();     // Boards held.
  size_t waiting();  // Callers waiting for another caller's computation right now.

 private:
  struct Flight;  // One computation in progress.
  struct Slot {
    std::optional<ScoreboardKey> key;  // Of `ready`.
    ScoreboardRows ready;
    std::shared_ptr<Flight> flight;
    uint64_t last_used = 0;
  };
  using SlotId = std::tuple<std::string, std::optional<int64_t>, bool>;

  Slot& touch(const SlotId& id);
  ScoreboardRows wait_for(std::shared_future<ScoreboardRows> result,
                          std::unique_lock<std::mutex>& lock);
  Result compute_in_flight(const SlotId& id, const ScoreboardKey& key, const Compute& compute,
                           std::unique_lock<std::mutex>& lock);
  void finish(const SlotId& id, const std::shared_ptr<Flight>& flight, const ScoreboardRows* rows);

  size_t capacity_;
  std::mutex mutex_;
  std::map<SlotId, Slot> slots_;
  uint64_t clock_ = 0;
  size_t waiting_ = 0;
};

}  // namespace api
