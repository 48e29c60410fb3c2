// Store: every Postgres statement of the system, as named prepared statements behind one class.
//
// One Store = one connection; use one per thread. Infrastructure failures throw StoreError
// (subclass of std::runtime_error) carrying the statement name; callers catch at the request,
// loop or transaction boundary. Expected outcomes (not found, lost lease) are return values.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/scoreboard.h"

namespace core {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Postgres refused a value (SQLSTATE class 22: text that is not UTF-8 or holds a NUL, a number
// out of range): the input's fault, not the database's. Callers check input before it gets
// here; this keeps a missed check from looking like an outage (and the connection stays).
struct StoreInputError : StoreError {
  using StoreError::StoreError;
};

struct NewSubmission {
  std::string contest_id, team_id, problem_id, language_id, source;
  std::optional<std::string> filename;  // Uploaded file name, if any.
  std::vector<SourceFile> files;        // Several uploaded files (then source is empty).
  std::optional<std::string> entry_point;
};

// What POST submissions checks before it stores a submission, read in one statement.
struct SubmissionRefs {
  bool problem_exists = false;   // In the contest.
  bool team_registered = false;  // In the contest.
  std::optional<Language> language;
};

struct NewProblem {
  Problem problem;
  struct Test {
    std::string input, answer;
    bool is_sample = false;
    int group = 0;  // Ordinal in groups (from 1); 0: none.
  };
  std::vector<Test> tests;
  std::vector<TestGroup> groups;  // Empty: pass-fail.
  // From a package's submissions/<folder>/: judged like any other, seen by the jury only.
  struct JurySubmission {
    std::string path, language_id, source, expected_verdict;
  };
  std::vector<JurySubmission> jury_submissions;
  // validation custom [interactive]: the validator's source files (name, content).
  std::vector<std::pair<std::string, std::string>> validator_files;
};

// A jury submission with its current verdict (empty while not judged).
struct JurySubmissionResult {
  int64_t submission_id = 0;
  std::string path, language_id, expected_verdict;
  std::optional<std::string> verdict;
  std::optional<double> score;
};

// The hidden owner of jury submissions: not in any contest, so it never shows on a scoreboard.
inline constexpr const char* kJuryTeamId = "_jury";

// Who finishes a judging attempt. A worker must still hold the lease fenced by its attempt; a
// manual (jury) verdict takes over whatever state the submission is in and bumps the attempt so
// that a worker still judging it can no longer record.
struct Fence {
  enum class Kind { Worker, Manual } kind = Kind::Worker;
  int attempt = 0;  // Worker only: the attempt returned by claim().
};

// One row of the event feed outbox. id is the feed token; data is the CLICS object as JSON text
// (null for deletions, which this judge does not make). team_id: visible to that team only.
struct Event {
  int64_t id = 0;
  std::string type;
  std::optional<std::string> object_id;
  std::string data;
  std::optional<std::string> team_id;
};

// Who reads the feed, for the queries that find the events a caller may see (the rules are
// api::event_visibility's): everything (jury), or the contest-wide events except accounts plus
// team_id's own; problems only when problems_shown (the contest started), and before that no
// event from the contest's first problems event on (a feed waits there).
struct EventReader {
  bool everything = false;
  std::optional<std::string> team_id;
  bool problems_shown = false;
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
// Outcome of a guarded contest change: Conflict when the contest's state no longer allows it.
enum class ContestUpdate { Updated, UnknownContest, Conflict };

enum class RecordStatus { Recorded, LeaseLost, NoSuchSubmission };
struct RecordResult {
  RecordStatus status = RecordStatus::Recorded;
  int64_t judgement_id = 0;
};

class Store {
 public:
  explicit Store(const std::string& database_url);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  bool ping();  // Reconnects if needed; false when Postgres is unreachable.

  // Reads. Empty optional = unknown id.
  std::vector<Contest> contests();
  std::optional<Contest> contest(const std::string& contest_id);
  std::vector<Problem> problems(const std::string& contest_id);
  std::optional<Problem> problem(const std::string& contest_id, const std::string& problem_id);
  std::vector<TestCase> testcases(const std::string& contest_id, const std::string& problem_id);
  // The custom output validator's source files (name, content); empty for default validation.
  std::vector<std::pair<std::string, std::string>> validator_files(const std::string& contest_id,
                                                                   const std::string& problem_id);
  std::optional<std::string> blob(const std::string& sha256);
  std::vector<Language> languages();
  std::vector<Team> teams(const std::string& contest_id);
  std::optional<Team> team(const std::string& contest_id, const std::string& team_id);
  // The problem, team and language a new submission names, in one round trip.
  SubmissionRefs submission_refs(const std::string& contest_id, const std::string& problem_id,
                                 const std::string& team_id, const std::string& language_id);
  std::optional<User> user_by_name(const std::string& username);
  std::vector<User> users();
  bool team_exists(const std::string& team_id);  // In any contest.
  std::vector<Organization> organizations();
  std::optional<Organization> organization(const std::string& organization_id);
  std::vector<Group> groups();
  std::optional<Group> group(const std::string& group_id);

  // Every submission of the contest, in no particular order, with its current verdict (empty
  // while not judged): the input of compute_scoreboard(), in one query.
  std::vector<ScoreboardSubmission> scoreboard_submissions(const std::string& contest_id);
  // Name, formal name, duration, freeze, penalty and scoreboard type of an existing contest
  // (start, thaw and finalization have their own guarded changes). False: unknown contest.
  bool update_contest_settings(const Contest& contest);
  // How many changes the contest's scoreboard inputs have seen (migration 0006): it moves with
  // every committed event, team registration and problem change of the contest. Read it before
  // the data it guards, and the data is never older than the value.
  int64_t contest_changes(const std::string& contest_id);
  // The contest and its contest_changes() in one statement (one snapshot); empty: unknown.
  std::optional<std::pair<Contest, int64_t>> contest_with_changes(const std::string& contest_id);
  // Thaws the public scoreboard at thaw_ms (now or later). False: unknown contest.
  bool set_contest_thaw(const std::string& contest_id, int64_t thaw_ms);
  // Schedules (start_ms) or unschedules (nullopt) a contest that has not started at now_ms and
  // has no thaw set; Conflict otherwise. Writes a contests event in the same transaction.
  ContestUpdate set_contest_start(const std::string& contest_id,
                                  const std::optional<int64_t>& start_ms, int64_t now_ms);
  // Submissions of the contest not judged yet (queued or judging).
  int64_t unjudged_submissions(const std::string& contest_id);
  // Makes the results final at now_ms: only once the contest ended, nothing is left unjudged and
  // it is not finalized yet (Conflict otherwise). Writes a state event in the same transaction.
  ContestUpdate set_contest_finalized(const std::string& contest_id, int64_t now_ms);

  // Event feed: the contest's events after `after_id` in id (= commit) order, at most `limit`.
  std::vector<Event> events(const std::string& contest_id, int64_t after_id, int limit);
  int64_t last_event_id(const std::string& contest_id);  // 0 when the contest has none.
  // Whether event_id is an event of the contest that `reader` may see (EventReader).
  bool event_visible(const std::string& contest_id, int64_t event_id, const EventReader& reader);
  // The newest event of the contest that `reader` may see; empty when there is none.
  std::optional<int64_t> last_visible_event_id(const std::string& contest_id,
                                               const EventReader& reader);
  // Appends a state event when the contest's state at now_ms differs from its last one (the
  // clock moves the state: started, frozen, ended). True when one was written.
  bool record_state(const std::string& contest_id, int64_t now_ms);

  // Submissions. team_filter limits results to one team (a team's own view).
  Submission create_submission(const NewSubmission& submission);
  // Several at once, in one transaction (one commit, one wait for the WAL flush); in order.
  // Each contest's event lock is taken once, after the inserts, in contest id order.
  std::vector<Submission> create_submissions(const std::vector<NewSubmission>& submissions);
  std::vector<Submission> submissions(const std::string& contest_id,
                                      const std::optional<std::string>& team_filter);
  std::optional<Submission> submission(int64_t submission_id);

  // Judgements of a contest, optionally of one submission and/or one team's submissions.
  std::vector<Judgement> judgements(const std::string& contest_id,
                                    const std::optional<int64_t>& submission_filter,
                                    const std::optional<std::string>& team_filter);
  std::optional<Judgement> judgement(int64_t judgement_id);

  // CLICS runs of a contest by judgement and ordinal, optionally of one judgement and/or of one
  // team's submissions.
  std::vector<RunInfo> runs(const std::string& contest_id,
                            const std::optional<int64_t>& judgement_filter,
                            const std::optional<std::string>& team_filter);
  std::optional<RunInfo> run(int64_t run_id);

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
  // Puts a judging submission back to queued (graceful release). False if the lease was lost.
  bool release(int64_t submission_id, int attempt);

  // THE way a verdict is persisted, by workers and by the jury override alike: inserts the
  // judgement, its runs and an event, marks older judgements not current, sets state=judged.
  RecordResult record_judgement(const Judgement& judgement, const Fence& fence);

  // Setup, used by judgectl and tests. Upserts: running them twice is harmless.
  void upsert_team(const Team& team);
  void add_team_to_contest(const std::string& contest_id, const std::string& team_id);
  void upsert_user(const std::string& username, const std::string& password_hash, Role role,
                   const std::optional<std::string>& team_id);
  void upsert_contest(const Contest& contest);
  void replace_problem(const NewProblem& problem);

  // Creation through the API, where an existing id is a conflict: each returns false (and writes
  // nothing) when the id or username is taken. Referenced ids must exist (checked by the caller;
  // a foreign-key failure is a StoreError).
  bool insert_user(const std::string& username, const std::string& password_hash, Role role,
                   const std::optional<std::string>& team_id);
  bool insert_contest(const Contest& contest);
  bool insert_organization(const Organization& organization);
  bool insert_group(const Group& group);
  // The team with its group memberships, registered in the contest.
  bool insert_team(const std::string& contest_id, const Team& team);
  bool insert_problem(const NewProblem& problem);

  // Scored problems and jury submissions (store_scoring.cc).
  std::vector<TestGroup> problem_groups(const std::string& contest_id,
                                        const std::string& problem_id);
  std::vector<JurySubmissionResult> jury_submissions(const std::string& contest_id,
                                                     const std::string& problem_id);

 public:
  struct Impl;  // Defined in core/src/store_impl.h; public only so core's helpers can name it.

 private:
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);

}  // namespace core
