#include "services/password_checks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "core/metrics.h"
#include "test_env.h"

namespace api {
namespace {

constexpr int kDeadlineMs = 10'000;

TEST(PasswordCheckThreadsTest, DefaultsToHalfTheCoresAndAtLeastOne) {
  EXPECT_EQ(password_check_threads(0, 2), 1);
  EXPECT_EQ(password_check_threads(0, 1), 1);
  EXPECT_EQ(password_check_threads(0, 0), 1) << "the core count may be unknown (0)";
  EXPECT_EQ(password_check_threads(0, 16), 8);
  EXPECT_EQ(password_check_threads(3, 16), 3) << "as configured";
}

// While every thread runs a job and the queue is full, more jobs are refused at once.
TEST(PasswordCheckThreadsTest, RefusesBeyondThreadsAndQueue) {
  core::Metrics metrics;
  PasswordCheckThreads checks(/*threads=*/1, /*max_waiting=*/2, metrics);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  auto blocked = [&] {
    released.wait();
    ++ran;
  };
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(checks.try_post(blocked)) << i;
  EXPECT_TRUE(testenv::eventually(
      [&] {
        auto text = metrics.render();
        return text.find(R"(judge_api_password_checks_in_progress{state="running"} 1)") !=
                   std::string::npos &&
               text.find(R"(judge_api_password_checks_in_progress{state="waiting"} 2)") !=
                   std::string::npos;
      },
      kDeadlineMs))
      << metrics.render();
  EXPECT_FALSE(checks.try_post([&] { ++ran; })) << "1 running + 2 waiting: full";
  release.set_value();
  EXPECT_TRUE(testenv::eventually([&] { return ran == 3; }, kDeadlineMs));
  EXPECT_TRUE(testenv::eventually([&] { return checks.try_post([&] { ++ran; }); }, kDeadlineMs))
      << "room again";
  EXPECT_TRUE(testenv::eventually([&] { return ran == 4; }, kDeadlineMs));
}

TEST(PasswordCheckThreadsTest, StopRunsWhatWaitsThenRefuses) {
  core::Metrics metrics;
  std::atomic<int> ran{0};
  {
    PasswordCheckThreads checks(/*threads=*/1, /*max_waiting=*/8, metrics);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(checks.try_post([&] { ++ran; }));
    checks.stop();
    EXPECT_EQ(ran, 5) << "every accepted job ran (each holds a client waiting for its reply)";
    EXPECT_FALSE(checks.try_post([&] { ++ran; }));
    checks.stop();  // Idempotent; the destructor stops again.
  }
  EXPECT_EQ(ran, 5);
}

TEST(PasswordCheckThreadsTest, AJobThatThrowsDoesNotStopItsThread) {
  core::Metrics metrics;
  PasswordCheckThreads checks(/*threads=*/1, /*max_waiting=*/1, metrics);
  std::atomic<bool> ran{false};
  EXPECT_TRUE(checks.try_post([] { throw std::runtime_error("boom"); }));
  EXPECT_TRUE(
      testenv::eventually([&] { return checks.try_post([&] { ran = true; }); }, kDeadlineMs));
  EXPECT_TRUE(testenv::eventually([&] { return ran.load(); }, kDeadlineMs));
}

}  // namespace
}  // namespace api
