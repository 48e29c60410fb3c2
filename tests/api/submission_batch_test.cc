#include "services/submission_batch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace api {
namespace {

core::NewSubmission new_submission(int n) {
  return {"c1", "team" + std::to_string(n), "A", "c", "source " + std::to_string(n)};
}

// Stands in for SubmissionStore::create_submissions: numbers the batch in order, slowly, so that
// callers arriving meanwhile queue up behind the writer.
struct SlowWriter {
  std::mutex mutex;
  std::vector<size_t> batch_sizes;
  std::atomic<int64_t> next_id{1};
  std::vector<core::Submission> operator()(const std::vector<core::NewSubmission>& batch) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::vector<core::Submission> out;
    for (const auto& n : batch) {
      core::Submission s;
      s.id = next_id++;
      s.team_id = n.team_id;
      s.source = n.source;
      out.push_back(s);
    }
    std::lock_guard lock(mutex);
    batch_sizes.push_back(batch.size());
    return out;
  }
};

TEST(SubmissionBatcherTest, ConcurrentCallersShareTransactionsAndGetTheirOwnSubmission) {
  SubmissionBatcher batcher;
  SlowWriter writer;
  constexpr int kCallers = 16;
  std::vector<core::Submission> got(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      got[i] = batcher.submit(new_submission(i), [&](const auto& batch) { return writer(batch); });
    });
  }
  for (auto& t : threads) t.join();
  std::set<int64_t> ids;
  for (int i = 0; i < kCallers; ++i) {
    EXPECT_EQ(got[i].team_id, "team" + std::to_string(i)) << "each caller gets its own";
    EXPECT_EQ(got[i].source, "source " + std::to_string(i));
    ids.insert(got[i].id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kCallers)) << "every submission stored once";
  EXPECT_LT(batcher.batches_written(), static_cast<size_t>(kCallers))
      << "callers that arrived during a write shared the next transaction";
}

TEST(SubmissionBatcherTest, BatchesAreCappedAndALoneCallerWritesAlone) {
  SubmissionBatcher batcher(3);
  SlowWriter writer;
  auto write = [&](const auto& batch) { return writer(batch); };
  EXPECT_EQ(batcher.submit(new_submission(0), write).team_id, "team0");
  std::vector<std::thread> threads;
  for (int i = 1; i <= 12; ++i)
    threads.emplace_back([&, i] { batcher.submit(new_submission(i), write); });
  for (auto& t : threads) t.join();
  ASSERT_FALSE(writer.batch_sizes.empty());
  EXPECT_EQ(writer.batch_sizes.front(), 1u);
  size_t total = 0;
  for (size_t size : writer.batch_sizes) {
    EXPECT_LE(size, 3u);
    total += size;
  }
  EXPECT_EQ(total, 13u);
}

TEST(SubmissionBatcherTest, AFailedWriteFailsEveryCallerOfItsBatchAndNoOther) {
  SubmissionBatcher batcher;
  std::atomic<int> calls{0};
  auto failing_once = [&](const std::vector<core::NewSubmission>& batch) {
    if (calls++ == 0) throw std::runtime_error("database gone");
    std::vector<core::Submission> out(batch.size());
    return out;
  };
  EXPECT_THROW(batcher.submit(new_submission(1), failing_once), std::runtime_error);
  EXPECT_NO_THROW(batcher.submit(new_submission(2), failing_once)) << "the next batch is new";
}

TEST(SubmissionBatcherTest, AWriteThatLosesSubmissionsIsAnError) {
  SubmissionBatcher batcher;
  auto lossy = [](const std::vector<core::NewSubmission>&) {
    return std::vector<core::Submission>{};
  };
  EXPECT_THROW(batcher.submit(new_submission(1), lossy), std::logic_error);
}

}  // namespace
}  // namespace api
