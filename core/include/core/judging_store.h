// JudgingStore: the submission state machine of DESIGN.md on Postgres: claims under a lease,
// heartbeats, retries, releases, the sweeper's re-queueing, rejudges, and THE one way a verdict
// is persisted (record_judgement), by the workers and the jury's override alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store.h"

namespace core {

// Who finishes a judging attempt. A worker must still hold the lease fenced by its attempt; a
// manual (jury) verdict takes over whatever state the submission is in and bumps the attempt so
// that a worker still judging it can no longer record.
struct Fence {
  enum class Kind { Worker, Manual } kind = Kind::Worker;
  int attempt = 0;  // Worker only: the attempt returned by claim().
};

// A claimed submission: attempt is the fencing token; failures counts earlier internal errors
// and expired leases; queue_wait_seconds is the time since it was (re)queued.
struct Claim {
  int64_t submission_id = 0;
  int attempt = 0;
  int failures = 0;
  double queue_wait_seconds = 0;
};

// A submission that must be put on its contest's queue (again).
struct QueueRef {
  int64_t submission_id = 0;
  std::string contest_id;
  bool rejudge = false;  // It has a current judgement: it goes on the rejudge list.
};

enum class RecordStatus { Recorded, LeaseLost, NoSuchSubmission };
struct RecordResult {
  RecordStatus status = RecordStatus::Recorded;
  int64_t judgement_id = 0;
};

class JudgingStore {
 public:
  explicit JudgingStore(Store& store) : db_(store.impl()) {}

  // Lease protocol (DESIGN.md): claim returns the new attempt (fencing token), or nothing when
  // the submission is not a queued one of that contest (duplicate, stale or foreign queue item).
  // languages (when set): only submissions in one of these language ids are claimed (a worker
  // claims only what it passed the self-test for).
  std::optional<Claim> claim(int64_t submission_id, const std::string& contest_id,
                             const std::string& worker_id, int lease_seconds,
                             const std::optional<std::vector<std::string>>& languages = {});
  // The fair claim for a live queue item of the contest: takes the contest's next claimable
  // queued submission that was never judged (rejudges have their own list), round robin over
  // teams (each team's oldest first), whichever item was popped. Nothing when none is claimable
  // (duplicate item, or all wait for a retry).
  std::optional<Claim> claim_next(const std::string& contest_id, const std::string& worker_id,
                                  int lease_seconds,
                                  const std::optional<std::vector<std::string>>& languages = {});
  // Whether a queued submission of the contest (of that one submission, when given) waits in a
  // language outside `languages`: a worker that cannot judge it puts its queue item back.
  bool queued_outside_languages(const std::string& contest_id,
                                const std::optional<int64_t>& submission_id,
                                const std::vector<std::string>& languages);
  bool heartbeat(int64_t submission_id, int attempt, int lease_seconds);
  // After an internal error: back to queued, not claimable for delay_seconds, failures + 1.
  // Fenced like record_judgement; false if the lease was lost.
  bool retry_later(int64_t submission_id, int attempt, double delay_seconds);
  // Puts a judging submission back to queued (graceful release). False if the lease was lost.
  bool release(int64_t submission_id, int attempt);

  // THE way a verdict is persisted, by workers and by the jury override alike: inserts the
  // judgement, its runs and an event, marks older judgements not current, sets state=judged.
  RecordResult record_judgement(const Judgement& judgement, const Fence& fence);

  // Sweeper (one leader at a time, see lead_sweeper). Each returns what must be pushed again.
  // Judging submissions whose lease expired (their worker died): back to queued, failures + 1.
  std::vector<QueueRef> requeue_expired_leases();
  // Queued submissions pushed more than stale_seconds ago and never claimed (Redis lost the
  // item, or the API could not push it), and retries whose wait is over. Marks them pushed now.
  std::vector<QueueRef> requeue_unclaimed(int stale_seconds);
  // True while this connection holds the sweeper's advisory lock (taken if free). A lost
  // connection loses the lock: another worker's sweeper takes over.
  bool lead_sweeper();
  // Rejudging (jury): judged submissions of the contest, by id or all of a problem, back to
  // queued with a fresh failure count. Their current judgement stays current until the new one
  // is recorded. Returns the ones queued (unknown, foreign or unjudged ids are left out).
  std::vector<QueueRef> rejudge(const std::string& contest_id, const std::vector<int64_t>& ids,
                                const std::optional<std::string>& problem_id);

 private:
  Store::Impl& db_;
};

}  // namespace core
