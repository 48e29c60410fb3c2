#include "services/submission_batch.h"

#include <algorithm>
#include <stdexcept>

namespace api {

core::Submission SubmissionBatcher::submit(core::NewSubmission submission, const Write& write) {
  Pending mine{std::move(submission), {}, nullptr, false};
  std::unique_lock lock(mutex_);
  waiting_.push_back(&mine);
  finished_.wait(lock, [&] { return mine.done || !writing_; });
  if (!mine.done) {
    // Nobody writes: this caller writes its own submission and what else waits (up to the max).
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &mine));
    const auto others = static_cast<long>(std::min(waiting_.size(), max_batch_ - 1));
    std::vector<Pending*> batch{&mine};
    batch.insert(batch.end(), waiting_.begin(), waiting_.begin() + others);
    waiting_.erase(waiting_.begin(), waiting_.begin() + others);
    write_batch(std::move(batch), write, lock);
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return std::move(mine.stored);
}

// Writes unlocked; then wakes every caller (its own submissions are done, and another caller
// may take the next batch).
void SubmissionBatcher::write_batch(std::vector<Pending*> batch, const Write& write,
                                    std::unique_lock<std::mutex>& lock) {
  writing_ = true;
  lock.unlock();
  std::vector<core::NewSubmission> submissions;
  submissions.reserve(batch.size());
  for (Pending* p : batch) submissions.push_back(p->submission);
  std::exception_ptr error;
  std::vector<core::Submission> stored;
  try {
    stored = write(submissions);
    if (stored.size() != batch.size()) throw std::logic_error("batch write lost submissions");
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (error) batch[i]->error = error;
    else batch[i]->stored = std::move(stored[i]);
    batch[i]->done = true;
  }
  writing_ = false;
  ++batches_;
  finished_.notify_all();
}

size_t SubmissionBatcher::batches_written() {
  std::lock_guard lock(mutex_);
  return batches_;
}

}  // namespace api
