// SubmissionStore: submissions, the contestants' write (with its event, in one transaction),
// and what the API reads back about them: the submissions, their judgements and runs, the
// references a new one names, and the jury submissions' results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store.h"

namespace core {

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

// A jury submission with its current verdict (empty while not judged).
struct JurySubmissionResult {
  int64_t submission_id = 0;
  std::string path, language_id;
  Verdict expected_verdict = Verdict::AC;
  std::optional<Verdict> verdict;
  std::optional<double> score;
};

class SubmissionStore {
 public:
  explicit SubmissionStore(Store& store) : db_(store.impl()) {}

  Submission create_submission(const NewSubmission& submission);
  // Several at once, in one transaction (one commit, one wait for the WAL flush); in order.
  // Each contest's event lock is taken once, after the inserts, in contest id order.
  std::vector<Submission> create_submissions(const std::vector<NewSubmission>& submissions);
  // The problem, team and language a new submission names, in one round trip.
  SubmissionRefs submission_refs(const std::string& contest_id, const std::string& problem_id,
                                 const std::string& team_id, const std::string& language_id);

  // team_filter limits results to one team (a team's own view). Empty optional = unknown id.
  std::vector<Submission> submissions(const std::string& contest_id,
                                      const std::optional<std::string>& team_filter);
  std::optional<Submission> submission(int64_t submission_id);
  // Submissions of the contest not judged yet (queued or judging).
  int64_t unjudged_submissions(const std::string& contest_id);
  // Submissions of the contest whose current judgement is JE (pending until a rejudge).
  int64_t judging_error_submissions(const std::string& contest_id);

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

  // The problem's jury submissions (imported from its package) with their current verdicts.
  std::vector<JurySubmissionResult> jury_submissions(const std::string& contest_id,
                                                     const std::string& problem_id);

 private:
  Store::Impl& db_;
};

}  // namespace core
