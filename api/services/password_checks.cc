#include "services/password_checks.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/metrics.h"
#include "http/handlers.h"

namespace api {

int password_check_threads(int configured, unsigned cpu_cores) {
  if (configured > 0) return configured;
  return std::max(1, static_cast<int>(cpu_cores / 2));
}

PasswordCheckThreads::PasswordCheckThreads(int threads, int max_waiting, core::Metrics& metrics)
    : capacity_(static_cast<size_t>(std::max(1, threads) + std::max(0, max_waiting))),
      metrics_(metrics) {
  {
    std::lock_guard lock(mutex_);
    publish_locked();
  }
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { run(); });
}

PasswordCheckThreads::~PasswordCheckThreads() { stop(); }

bool PasswordCheckThreads::try_post(std::function<void()> job) {
  std::lock_guard lock(mutex_);
  if (stopping_ || static_cast<size_t>(running_) + waiting_.size() >= capacity_) return false;
  waiting_.push_back(std::move(job));
  publish_locked();
  wake_.notify_one();
  return true;
}

void PasswordCheckThreads::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void PasswordCheckThreads::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // Stopping, and nothing is left to run.
    auto job = std::move(waiting_.front());
    waiting_.pop_front();
    ++running_;
    publish_locked();
    lock.unlock();
    try {
      job();
    } catch (const std::exception& e) {  // Jobs answer their own errors; this is a last resort.
      spdlog::error("password check failed error={}", e.what());
    }
    job = nullptr;  // Its captures (the client's connection) go before the gauge says so.
    lock.lock();
    --running_;
    publish_locked();
  }
}

void PasswordCheckThreads::publish_locked() {
  metrics_.set(kPasswordChecksInProgressMetric, R"(state="running")", running_);
  metrics_.set(kPasswordChecksInProgressMetric, R"(state="waiting")",
               static_cast<double>(waiting_.size()));
}

}  // namespace api
