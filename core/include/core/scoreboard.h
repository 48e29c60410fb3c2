// Standings: ONE pure function from plain data to the CLICS scoreboard, and the CLICS contest
// state. No I/O here; the Store loads the inputs (Store::scoreboard_submissions) and the API
// serializes the outputs 1:1 onto scoreboard.json / state.json.
//
// Problem ids are secret until the start (GET problems is a 403): before it, the public view's
// rows carry no problem cells at all (scoreboard_shows_problems).
//
// Pass-fail rules (CLICS 2023-06), in the order they apply to each (team, problem):
//   1. Only submissions in [start, end) and not after `now` count; unknown teams/problems are
//      ignored. Submissions are taken in time order (equal times: by id); everything after the
//      first AC is ignored.
//   2. In the public view, while the scoreboard is frozen (freeze set, not yet thawed at `now`),
//      every submission made at or after end - freeze is shown as pending. The jury sees all.
//   3. No verdict yet (queued/judging) or JE: pending (num_pending); never ranks, no penalty.
//   4. CE: no penalty, not a try; not shown at all.
//   5. AC: solved; problem time = floor(minutes of contest time). Other verdicts: rejected tries.
//   6. total_time = sum over solved problems of time + penalty_minutes * rejected tries before AC.
//   7. Rank by num_solved desc, total_time asc, last AC minute asc; rows equal on all three share
//      a rank (1, 1, 3). Score contests: score desc, then time asc (rule 8).
//   8. Score contests: a judged submission is worth its judgement's score (scored problems), else
//      1 for AC and 0 otherwise (pass-fail problems, manual verdicts without a score). A cell's
//      score is the best among the team's counted, judged submissions (rules 1-4 apply; nothing
//      after the first AC); its time is the minute of the submission that first reached that
//      best score. The row's score is the sum, its time the latest cell time with a score > 0
//      (the time of the team's last improvement), the tie-break: earlier is better. Cells and
//      rows scoring 0 have no time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace core {

enum class ScoreboardView { Public, Jury };  // Public: anonymous callers and teams.

// One submission with the verdict of its current judgement (empty: not judged yet).
struct ScoreboardSubmission {
  std::string team_id, problem_id;
  int64_t submitted_ms = 0;
  std::optional<Verdict> verdict;
  int64_t id = 0;               // Submission id: orders submissions made in the same millisecond.
  std::optional<double> score;  // Of the judgement, for scored problems.
};

struct ScoreboardCell {
  std::string problem_id;
  int num_judged = 0, num_pending = 0;
  bool solved = false;
  double score = 0;                     // Score contests only.
  std::optional<int64_t> time_minutes;  // Contest minute of the first AC, when solved.
  bool first_to_solve = false;          // Earliest AC of this problem among all teams (in view).
};

struct ScoreboardRow {
  int rank = 0;
  std::string team_id;
  int num_solved = 0;
  int64_t total_time = 0;                  // Minutes, penalty included (pass-fail).
  double score = 0;                        // Score contests.
  std::optional<int64_t> last_ac_minutes;  // Score contests: the last improvement (rule 8).
  std::vector<ScoreboardCell> problems;    // In the order of the problems argument.
};

struct Scoreboard {
  bool score_contest = false;  // scoreboard_type "score": rows carry score, not num_solved.
  std::vector<ScoreboardRow> rows;
};

// The standings at `now` for `view`, by the rules above. Teams without submissions are ranked too.
Scoreboard compute_scoreboard(const Contest& contest, const std::vector<Problem>& problems,
                              const std::vector<Team>& teams,
                              const std::vector<ScoreboardSubmission>& submissions,
                              ScoreboardView view, int64_t now_ms);

// CLICS state: each field is the time it happened, or empty while it has not happened at `now`.
struct ContestState {
  std::optional<int64_t> started, frozen, ended, thawed, finalized, end_of_updates;
};
ContestState contest_state(const Contest& contest, int64_t now_ms);

// Whether the rows of `view` carry problem cells at `now`: the jury's always, the public's once
// the contest started.
bool scoreboard_shows_problems(const Contest& contest, ScoreboardView view, int64_t now_ms);

// True when the public view hides submissions made from the freeze start on, at `now`.
bool scoreboard_frozen(const Contest& contest, int64_t now_ms);

// Rule 2 for one view at `now`: the instant from which submissions show as pending, or empty
// when this view sees every verdict.
std::optional<int64_t> scoreboard_hidden_from(const Contest& contest, ScoreboardView view,
                                              int64_t now_ms);

// How long a board stays valid as time passes: compute_scoreboard() with the same inputs and
// the same scoreboard_hidden_from() gives the same board at every time before the instant
// returned, the time of the first submission not counted yet at `now` (rule 1). Empty: never
// changes with time alone.
std::optional<int64_t> scoreboard_unchanged_until(
    const Contest& contest, const std::vector<ScoreboardSubmission>& submissions, int64_t now_ms);

}  // namespace core
