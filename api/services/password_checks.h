// Threads of their own for password checks (issue 16). A check is an argon2 hash, about 86 ms of
// CPU and 64 MiB of memory; run on a request thread, two clients guessing passwords kept both
// default request threads busy and every other request waited behind them. Requests that present
// a password are therefore handed here whole (server.cc sends their reply from this thread), and
// the request threads never hash. At most `threads` checks run at once and `max_waiting` more
// wait; beyond that a request is refused at once (429, Retry-After: 1) rather than queued without
// bound. The gauge judge_api_password_checks{state="running"|"waiting"} follows both.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace core {
class Metrics;
}

namespace api {

// The number of check threads for a configured value: as configured when positive, otherwise
// half the CPU cores (at least one), so that hashing never takes every core.
int password_check_threads(int configured, unsigned cpu_cores);

class PasswordCheckThreads {
 public:
  PasswordCheckThreads(int threads, int max_waiting, core::Metrics& metrics);
  ~PasswordCheckThreads();  // stop()
  PasswordCheckThreads(const PasswordCheckThreads&) = delete;
  PasswordCheckThreads& operator=(const PasswordCheckThreads&) = delete;

  // Runs job on a check thread, or returns false at once when every thread is busy and
  // max_waiting jobs wait already (or after stop()).
  bool try_post(std::function<void()> job);
  // Refuses new jobs, runs the ones waiting, then joins the threads. Idempotent.
  void stop();

 private:
  void run();
  void publish_locked();  // The gauge, under mutex_.

  size_t capacity_;  // Running and waiting jobs together.
  core::Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> waiting_;
  int running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace api
