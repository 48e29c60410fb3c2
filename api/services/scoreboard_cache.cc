#include "services/scoreboard_cache.h"

#include <future>

namespace api {
namespace {

bool fresh(const ScoreboardRows& rows, int64_t now_ms) {
  return !rows.valid_until || now_ms < *rows.valid_until;
}

ScoreboardCache::Result result_of(const ScoreboardRows& rows, ScoreboardCache::Source source) {
  return {rows.text, source, rows.extras};
}

}  // namespace

struct ScoreboardCache::Flight {
  explicit Flight(ScoreboardKey k) : key(std::move(k)), result(promise.get_future().share()) {}
  ScoreboardKey key;
  std::promise<ScoreboardRows> promise;
  std::shared_future<ScoreboardRows> result;
};

ScoreboardKey scoreboard_key(const core::Contest& contest, int64_t changes,
                             std::optional<int64_t> hidden_from) {
  return {contest.id,
          changes,
          hidden_from,
          contest.start_ms,
          contest.duration_ms,
          contest.penalty_minutes,
          contest.scoreboard_type};
}

ScoreboardCache::Result ScoreboardCache::rows(const ScoreboardKey& key, int64_t now_ms,
                                              const Compute& compute) {
  if (capacity_ == 0) return result_of(compute(), Source::Computed);
  const SlotId id{key.contest_id, key.hidden_from, key.problems_shown};
  std::unique_lock lock(mutex_);
  Slot& slot = touch(id);
  if (slot.key == key && fresh(slot.ready, now_ms)) return result_of(slot.ready, Source::Hit);
  if (slot.flight && slot.flight->key == key) {
    ScoreboardRows rows = wait_for(slot.flight->result, lock);
    if (fresh(rows, now_ms)) return result_of(rows, Source::Waited);
    return result_of(compute(), Source::Computed);  // A submission came due meanwhile (rare).
  }
  return compute_in_flight(id, key, compute, lock);
}

// Waits unlocked for another caller's computation; rethrows its failure.
ScoreboardRows ScoreboardCache::wait_for(std::shared_future<ScoreboardRows> result,
                                         std::unique_lock<std::mutex>& lock) {
  ++waiting_;
  lock.unlock();
  result.wait();
  lock.lock();
  --waiting_;
  lock.unlock();
  return result.get();  // Rethrows the failure of the computing caller.
}

size_t ScoreboardCache::size() {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

size_t ScoreboardCache::waiting() {
  std::lock_guard lock(mutex_);
  return waiting_;
}

// The slot of `id`, created if needed (evicting the least recently used one beyond capacity),
// marked as just used. References into the map stay valid while other slots come and go.
ScoreboardCache::Slot& ScoreboardCache::touch(const SlotId& id) {
  auto [it, created] = slots_.try_emplace(id);
  it->second.last_used = ++clock_;
  if (created && slots_.size() > capacity_) {
    auto oldest = slots_.end();
    for (auto other = slots_.begin(); other != slots_.end(); ++other) {
      if (other != it &&
          (oldest == slots_.end() || other->second.last_used < oldest->second.last_used))
        oldest = other;
    }
    if (oldest != slots_.end()) slots_.erase(oldest);  // Its waiters hold their own futures.
  }
  return it->second;
}

// Runs compute() unlocked as the one computation of `key`; callers arriving meanwhile wait.
ScoreboardCache::Result ScoreboardCache::compute_in_flight(const SlotId& id,
                                                           const ScoreboardKey& key,
                                                           const Compute& compute,
                                                           std::unique_lock<std::mutex>& lock) {
  auto flight = std::make_shared<Flight>(key);
  slots_[id].flight = flight;
  lock.unlock();
  ScoreboardRows rows;
  try {
    rows = compute();
  } catch (...) {
    flight->promise.set_exception(std::current_exception());
    lock.lock();
    finish(id, flight, nullptr);
    throw;
  }
  flight->promise.set_value(rows);
  lock.lock();
  finish(id, flight, &rows);
  return result_of(rows, Source::Computed);
}

// Ends a flight (under the lock): keeps its rows unless the slot already holds newer ones.
void ScoreboardCache::finish(const SlotId& id, const std::shared_ptr<Flight>& flight,
                             const ScoreboardRows* rows) {
  auto it = slots_.find(id);
  if (it == slots_.end() && !rows) return;
  Slot& slot = it != slots_.end() ? it->second : touch(id);  // Evicted meanwhile: keep anyway.
  if (slot.flight == flight) slot.flight.reset();
  if (rows && (!slot.key || slot.key->changes <= flight->key.changes)) {
    slot.key = flight->key;
    slot.ready = *rows;
  }
}

}  // namespace api
