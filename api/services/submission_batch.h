// Group commit of new submissions. Every submission's transaction ends with the contest's event
// lock held through the commit and its WAL flush (event ids must commit in order), so one at a
// time they cannot go faster than one flush each. Here the first request thread to arrive
// writes every submission waiting at that moment in one transaction, and the requests that
// arrive while it writes form the next batch: one flush for many, and each caller still returns
// only after its own submission is committed. A lone request is a batch of one. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

#include "core/model.h"
#include "core/submission_store.h"

namespace api {

class SubmissionBatcher {
 public:
  using Write = std::function<std::vector<core::Submission>(
      const std::vector<core::NewSubmission>&)>;

  // At most max_batch submissions per transaction.
  explicit SubmissionBatcher(size_t max_batch = 64) : max_batch_(max_batch > 0 ? max_batch : 1) {}

  // Stores `submission` and returns it as stored; `write` (the caller's connection) is used if
  // this caller writes the batch. A failed batch throws its exception to each of its callers.
  core::Submission submit(core::NewSubmission submission, const Write& write);

  size_t batches_written();  // For tests: transactions so far.

 private:
  struct Pending {
    core::NewSubmission submission;
    core::Submission stored;
    std::exception_ptr error;
    bool done = false;
  };
  void write_batch(std::vector<Pending*> batch, const Write& write,
                   std::unique_lock<std::mutex>& lock);

  size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable finished_;
  std::vector<Pending*> waiting_;
  bool writing_ = false;
  size_t batches_ = 0;
};

}  // namespace api
