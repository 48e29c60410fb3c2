#include "core/scoreboard.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace core {
namespace {

constexpr int64_t kMillisPerMinute = 60'000;

enum class Outcome { Ignore, Pending, Rejected, Accepted };

// What one submission means for the standings in this view (header rules 2-5).
Outcome outcome(const ScoreboardSubmission& s, std::optional<int64_t> hide_from_ms) {
  if (hide_from_ms && s.submitted_ms >= *hide_from_ms) return Outcome::Pending;
  if (!s.verdict || *s.verdict == Verdict::JE) return Outcome::Pending;  // JE awaits a rejudge.
  if (*s.verdict == Verdict::CE) return Outcome::Ignore;
  return *s.verdict == Verdict::AC ? Outcome::Accepted : Outcome::Rejected;
}

struct CellState {
  ScoreboardCell cell;
  int rejected = 0;
  int64_t ac_ms = 0;  // Exact time of the first AC: first_to_solve needs more than minutes.
  std::optional<int64_t> improved_ms;  // Score contests: when the best score was reached.
};

// Score contests (rule 8): what a judged submission is worth.
double submission_score(const ScoreboardSubmission& s) {
  if (s.score) return *s.score;
  return s.verdict == Verdict::AC ? 1 : 0;
}

// The cell after one more submission, in time order; nothing counts after the first AC.
void apply(CellState& state, Outcome what, int64_t contest_ms, double score) {
  ScoreboardCell& cell = state.cell;
  if (cell.solved || what == Outcome::Ignore) return;
  if (what == Outcome::Pending) {
    ++cell.num_pending;
    return;
  }
  ++cell.num_judged;
  if (score > cell.score) {  // Rule 8: the best score, timed by its last improvement.
    cell.score = score;
    state.improved_ms = contest_ms;
  }
  if (what == Outcome::Rejected) {
    ++state.rejected;
    return;
  }
  cell.solved = true;
  state.ac_ms = contest_ms;
  cell.time_minutes = contest_ms / kMillisPerMinute;  // contest_ms >= 0: division floors.
}

// Cells keyed by team then problem index, from the submissions that count (header rule 1).
using Cells = std::map<std::string, std::vector<CellState>>;
void fill_cells(Cells& cells, const Contest& contest, const std::vector<Problem>& problems,
                const std::vector<ScoreboardSubmission>& submissions, ScoreboardView view,
                int64_t now_ms) {
  if (!contest.start_ms) return;
  const int64_t start = *contest.start_ms, end = start + contest.duration_ms;
  const std::optional<int64_t> hide_from = scoreboard_hidden_from(contest, view, now_ms);
  std::map<std::string, size_t> problem_index;
  for (size_t i = 0; i < problems.size(); ++i) problem_index[problems[i].id] = i;
  // Sorting pointers, not the submissions: no copies of 100,000 of them per board.
  std::vector<const ScoreboardSubmission*> counted;
  counted.reserve(submissions.size());
  for (const auto& s : submissions)
    if (s.submitted_ms >= start && s.submitted_ms < end && s.submitted_ms <= now_ms)
      counted.push_back(&s);
  std::sort(counted.begin(), counted.end(), [](const auto* a, const auto* b) {
    return std::tie(a->submitted_ms, a->id) < std::tie(b->submitted_ms, b->id);
  });
  for (const auto* s : counted) {
    auto team = cells.find(s->team_id);
    auto problem = problem_index.find(s->problem_id);
    if (team == cells.end() || problem == problem_index.end()) continue;
    const Outcome what = outcome(*s, hide_from);
    apply(team->second[problem->second], what, s->submitted_ms - start,
          what == Outcome::Pending ? 0 : submission_score(*s));
  }
}

// Rule 8: a score contest's row sums the best scores; its time is the last improvement.
ScoreboardRow make_score_row(const std::string& team_id, const std::vector<CellState>& cells) {
  ScoreboardRow row;
  row.team_id = team_id;
  for (const auto& state : cells) {
    ScoreboardCell cell = state.cell;
    if (cell.score > 0) {
      cell.time_minutes = *state.improved_ms / kMillisPerMinute;
      row.score += cell.score;
      row.last_ac_minutes = std::max(row.last_ac_minutes.value_or(0), *cell.time_minutes);
    } else {
      cell.time_minutes.reset();
    }
    if (cell.solved) ++row.num_solved;
    row.problems.push_back(cell);
  }
  return row;
}

ScoreboardRow make_row(const std::string& team_id, const std::vector<CellState>& cells,
                       int penalty_minutes) {
  ScoreboardRow row;
  row.team_id = team_id;
  for (const auto& state : cells) {
    const ScoreboardCell& cell = state.cell;
    row.problems.push_back(cell);
    if (!cell.solved) continue;
    ++row.num_solved;
    row.score += cell.score;
    row.total_time += *cell.time_minutes + int64_t{penalty_minutes} * state.rejected;
    row.last_ac_minutes = std::max(row.last_ac_minutes.value_or(0), *cell.time_minutes);
  }
  return row;
}

// The sort key without the team id: rows with equal keys share a rank.
auto rank_key(const ScoreboardRow& row, bool score_contest) {
  const double primary = score_contest ? row.score : row.num_solved;
  const int64_t time = score_contest ? 0 : row.total_time;
  return std::make_tuple(-primary, time, row.last_ac_minutes.value_or(0));
}

void rank_rows(std::vector<ScoreboardRow>& rows, bool score_contest) {
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    auto ka = rank_key(a, score_contest), kb = rank_key(b, score_contest);
    return ka != kb ? ka < kb : a.team_id < b.team_id;  // Ties: a stable display order.
  });
  for (size_t i = 0; i < rows.size(); ++i) {
    bool tied = i > 0 && rank_key(rows[i], score_contest) == rank_key(rows[i - 1], score_contest);
    rows[i].rank = tied ? rows[i - 1].rank : static_cast<int>(i) + 1;
  }
}

// Marks, per problem, the cells holding the earliest AC (all of them on an exact tie).
void mark_first_to_solve(Cells& cells, size_t problem_count) {
  for (size_t p = 0; p < problem_count; ++p) {
    std::optional<int64_t> first;
    for (const auto& [team, states] : cells)
      if (states[p].cell.solved) first = std::min(first.value_or(states[p].ac_ms), states[p].ac_ms);
    for (auto& [team, states] : cells)
      states[p].cell.first_to_solve = states[p].cell.solved && states[p].ac_ms == first;
  }
}

}  // namespace

bool scoreboard_shows_problems(const Contest& contest, ScoreboardView view, int64_t now_ms) {
  return view == ScoreboardView::Jury || (contest.start_ms && *contest.start_ms <= now_ms);
}

bool scoreboard_frozen(const Contest& contest, int64_t now_ms) {
  if (!contest.start_ms || contest.freeze_ms.value_or(0) <= 0) return false;
  const int64_t freeze_start = *contest.start_ms + contest.duration_ms - *contest.freeze_ms;
  if (now_ms < freeze_start) return false;
  return !(contest.thawed_ms && *contest.thawed_ms <= now_ms);
}

std::optional<int64_t> scoreboard_hidden_from(const Contest& contest, ScoreboardView view,
                                              int64_t now_ms) {
  if (view != ScoreboardView::Public || !scoreboard_frozen(contest, now_ms)) return std::nullopt;
  return *contest.start_ms + contest.duration_ms - *contest.freeze_ms;
}

std::optional<int64_t> scoreboard_unchanged_until(
    const Contest& contest, const std::vector<ScoreboardSubmission>& submissions, int64_t now_ms) {
  if (!contest.start_ms) return std::nullopt;
  const int64_t start = *contest.start_ms, end = start + contest.duration_ms;
  std::optional<int64_t> next;
  for (const auto& s : submissions) {
    if (s.submitted_ms <= now_ms || s.submitted_ms < start || s.submitted_ms >= end) continue;
    next = std::min(next.value_or(s.submitted_ms), s.submitted_ms);
  }
  return next;
}

Scoreboard compute_scoreboard(const Contest& contest, const std::vector<Problem>& all_problems,
                              const std::vector<Team>& teams,
                              const std::vector<ScoreboardSubmission>& submissions,
                              ScoreboardView view, int64_t now_ms) {
  static const std::vector<Problem> kNone;
  const auto& problems = scoreboard_shows_problems(contest, view, now_ms) ? all_problems : kNone;
  Cells cells;
  for (const auto& team : teams) {
    auto& states = cells[team.id];
    states.resize(problems.size());
    for (size_t i = 0; i < problems.size(); ++i) states[i].cell.problem_id = problems[i].id;
  }
  fill_cells(cells, contest, problems, submissions, view, now_ms);
  mark_first_to_solve(cells, problems.size());
  Scoreboard board;
  board.score_contest = contest.scoreboard_type == "score";
  for (const auto& [team_id, states] : cells)
    board.rows.push_back(board.score_contest ? make_score_row(team_id, states)
                                             : make_row(team_id, states, contest.penalty_minutes));
  rank_rows(board.rows, board.score_contest);
  return board;
}

ContestState contest_state(const Contest& contest, int64_t now_ms) {
  ContestState state;
  if (!contest.start_ms) return state;
  auto if_past = [&](int64_t at) { return at <= now_ms ? std::optional(at) : std::nullopt; };
  const int64_t end = *contest.start_ms + contest.duration_ms;
  state.started = if_past(*contest.start_ms);
  if (contest.freeze_ms.value_or(0) > 0) state.frozen = if_past(end - *contest.freeze_ms);
  state.ended = if_past(end);
  if (state.frozen && contest.thawed_ms) state.thawed = if_past(*contest.thawed_ms);
  if (state.ended && contest.finalized_ms) state.finalized = if_past(*contest.finalized_ms);
  // Nothing changes any more once results are final and the public board shows everything.
  if (state.finalized && (!state.frozen || state.thawed))
    state.end_of_updates = std::max(*state.finalized, state.thawed.value_or(0));
  return state;
}

}  // namespace core
