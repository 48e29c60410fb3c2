// The scoreboard cache's rules, with a counting fake computation instead of Postgres.
#include "services/scoreboard_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace {

using api::ScoreboardCache;
using api::ScoreboardKey;
using api::ScoreboardRows;
using Source = ScoreboardCache::Source;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kFreeze = kNow - 60'000;

core::Contest contest(const std::string& id = "c1") {
  core::Contest c;
  c.id = id;
  c.start_ms = kNow - 3'600'000;
  c.duration_ms = 7'200'000;
  return c;
}

ScoreboardKey key(int64_t changes, const core::Contest& c = contest(),
                  std::optional<int64_t> hidden_from = std::nullopt) {
  return api::scoreboard_key(c, changes, hidden_from);
}

// Counts its calls; each returns rows naming the call, valid until `valid_until`.
struct FakeCompute {
  std::optional<int64_t> valid_until;
  int calls = 0;
  ScoreboardCache::Compute fn() {
    return [this] {
      ++calls;
      return ScoreboardRows{std::make_shared<const std::string>("rows" + std::to_string(calls)),
                            valid_until};
    };
  }
};

// Polls until predicate() holds; false after 10 s (a deadline, not a sleep to wait for events).
bool eventually(const std::function<bool()>& predicate) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(ScoreboardCache, ServesTheSameKeyFromMemory) {
  ScoreboardCache cache(4);
  FakeCompute compute;
  auto first = cache.rows(key(7), kNow, compute.fn());
  auto second = cache.rows(key(7), kNow + 1000, compute.fn());
  EXPECT_EQ(first.source, Source::Computed);
  EXPECT_EQ(second.source, Source::Hit);
  EXPECT_EQ(second.text, first.text) << "the same rows, not a copy";
  EXPECT_EQ(compute.calls, 1);
}

TEST(ScoreboardCache, AnyDatabaseChangeRecomputes) {
  ScoreboardCache cache(4);
  FakeCompute compute;
  cache.rows(key(7), kNow, compute.fn());
  EXPECT_EQ(*cache.rows(key(8), kNow, compute.fn()).text, "rows2") << "a new event";
  auto c = contest();
  c.penalty_minutes = 5;
  EXPECT_EQ(*cache.rows(key(8, c), kNow, compute.fn()).text, "rows3")
      << "a contest field changed without an event (setup upsert)";
  EXPECT_EQ(compute.calls, 3);
}

TEST(ScoreboardCache, AStaleReaderDoesNotReplaceNewerRows) {
  ScoreboardCache cache(4);
  FakeCompute compute;
  cache.rows(key(8), kNow, compute.fn());
  // A request that read the counter before the last change computes for itself...
  EXPECT_EQ(cache.rows(key(7), kNow, compute.fn()).source, Source::Computed);
  // ...and the newer board stays.
  EXPECT_EQ(cache.rows(key(8), kNow, compute.fn()).source, Source::Hit);
  EXPECT_EQ(compute.calls, 2);
}

TEST(ScoreboardCache, FrozenAndUnfrozenViewsAreHeldSideBySide) {
  ScoreboardCache cache(4);
  FakeCompute compute;
  auto frozen = key(7, contest(), kFreeze), truth = key(7);
  cache.rows(frozen, kNow, compute.fn());
  cache.rows(truth, kNow, compute.fn());
  EXPECT_EQ(*cache.rows(frozen, kNow, compute.fn()).text, "rows1");
  EXPECT_EQ(*cache.rows(truth, kNow, compute.fn()).text, "rows2");
  EXPECT_EQ(compute.calls, 2);
  EXPECT_EQ(cache.size(), 2u);
}

// Before the start the public board has no problem cells and the jury's has: same contest, no
// freeze, two boards. At the start the public key changes, so its board is computed anew.
TEST(ScoreboardCache, BoardsWithAndWithoutProblemsAreHeldSideBySide) {
  ScoreboardCache cache(4);
  FakeCompute compute;
  auto without = key(7), with = key(7);
  without.problems_shown = false;
  cache.rows(with, kNow, compute.fn());
  EXPECT_EQ(*cache.rows(without, kNow, compute.fn()).text, "rows2");
  EXPECT_EQ(*cache.rows(with, kNow, compute.fn()).text, "rows1");
  EXPECT_EQ(*cache.rows(without, kNow, compute.fn()).text, "rows2");
  EXPECT_EQ(compute.calls, 2);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ScoreboardCache, RowsExpireWhenTheNextSubmissionStartsToCount) {
  ScoreboardCache cache(4);
  FakeCompute compute;
  compute.valid_until = kNow + 500;
  cache.rows(key(7), kNow, compute.fn());
  EXPECT_EQ(cache.rows(key(7), kNow + 499, compute.fn()).source, Source::Hit);
  EXPECT_EQ(cache.rows(key(7), kNow + 500, compute.fn()).source, Source::Computed);
  EXPECT_EQ(compute.calls, 2);
}

TEST(ScoreboardCache, KeepsAtMostCapacityBoardsDroppingTheLeastRecentlyUsed) {
  ScoreboardCache cache(2);
  FakeCompute compute;
  cache.rows(key(1, contest("a")), kNow, compute.fn());
  cache.rows(key(1, contest("b")), kNow, compute.fn());
  cache.rows(key(1, contest("a")), kNow, compute.fn());  // a is now more recent than b.
  cache.rows(key(1, contest("c")), kNow, compute.fn());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.rows(key(1, contest("a")), kNow, compute.fn()).source, Source::Hit);
  EXPECT_EQ(cache.rows(key(1, contest("c")), kNow, compute.fn()).source, Source::Hit);
  EXPECT_EQ(cache.rows(key(1, contest("b")), kNow, compute.fn()).source, Source::Computed);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ScoreboardCache, CapacityZeroAlwaysComputes) {
  ScoreboardCache cache(0);
  FakeCompute compute;
  cache.rows(key(7), kNow, compute.fn());
  EXPECT_EQ(cache.rows(key(7), kNow, compute.fn()).source, Source::Computed);
  EXPECT_EQ(compute.calls, 2);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ScoreboardCache, AFailedComputationLeavesNothingBehind) {
  ScoreboardCache cache(4);
  EXPECT_THROW(cache.rows(key(7), kNow, []() -> ScoreboardRows { throw std::runtime_error("db"); }),
               std::runtime_error);
  FakeCompute compute;
  EXPECT_EQ(cache.rows(key(7), kNow, compute.fn()).source, Source::Computed);
  EXPECT_EQ(compute.calls, 1);
}

// Two requests miss on the same key at once: one computes, the other waits for its result.
TEST(ScoreboardCache, ConcurrentMissesComputeOnce) {
  ScoreboardCache cache(4);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  auto slow = [&] {
    ++calls;
    released.wait();
    return ScoreboardRows{std::make_shared<const std::string>("slow"), std::nullopt};
  };
  auto first = std::async(std::launch::async, [&] { return cache.rows(key(7), kNow, slow); });
  EXPECT_TRUE(eventually([&] { return calls == 1; }));
  auto second = std::async(std::launch::async, [&] { return cache.rows(key(7), kNow, slow); });
  EXPECT_TRUE(eventually([&] { return cache.waiting() == 1; }));
  release.set_value();
  auto a = first.get(), b = second.get();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(a.source, Source::Computed);
  EXPECT_EQ(b.source, Source::Waited);
  EXPECT_EQ(b.text, a.text);
  EXPECT_EQ(cache.waiting(), 0u);
}

TEST(ScoreboardCache, WaitersShareTheFailure) {
  ScoreboardCache cache(4);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  auto failing = [&]() -> ScoreboardRows {
    ++calls;
    released.wait();
    throw std::runtime_error("database unavailable");
  };
  auto first = std::async(std::launch::async, [&] { return cache.rows(key(7), kNow, failing); });
  EXPECT_TRUE(eventually([&] { return calls == 1; }));
  auto second = std::async(std::launch::async, [&] { return cache.rows(key(7), kNow, failing); });
  EXPECT_TRUE(eventually([&] { return cache.waiting() == 1; }));
  release.set_value();
  EXPECT_THROW(first.get(), std::runtime_error);
  EXPECT_THROW(second.get(), std::runtime_error);
  EXPECT_EQ(calls, 1);
  FakeCompute compute;
  EXPECT_EQ(cache.rows(key(7), kNow, compute.fn()).source, Source::Computed) << "not cached";
}

}  // namespace
