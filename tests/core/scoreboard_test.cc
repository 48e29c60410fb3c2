// The standings rules of core/scoreboard.h, one table row per rule, plus the CLICS state.
#include "core/scoreboard.h"

#include <gtest/gtest.h>

#include <chrono>

namespace {

using core::ScoreboardView;
constexpr int64_t kStart = 1'700'000'000'000;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kDuration = 300 * kMinute;
constexpr int64_t kFreeze = 60 * kMinute;  // Freeze starts at minute 240.

core::Contest contest() {
  core::Contest c;
  c.id = "c1";
  c.start_ms = kStart;
  c.duration_ms = kDuration;
  c.penalty_minutes = 20;
  return c;
}

std::vector<core::Problem> problems() {
  core::Problem a, b;
  a.id = "A";
  b.id = "B";
  return {a, b};
}

std::vector<core::Team> teams() { return {{"t1", "", ""}, {"t2", "", ""}, {"t3", "", ""}}; }

// A submission at contest minute:second.millis with a verdict ("" = pending).
core::ScoreboardSubmission sub(const std::string& team, const std::string& problem, int64_t ms,
                               const std::string& verdict) {
  core::ScoreboardSubmission s{team, problem, kStart + ms, std::nullopt};
  if (!verdict.empty()) s.verdict = domain::parse_verdict(verdict).value();
  return s;
}

const core::ScoreboardRow& row_of(const core::Scoreboard& board, const std::string& team) {
  for (const auto& row : board.rows)
    if (row.team_id == team) return row;
  throw std::runtime_error("no row for " + team);
}

// "team:rank:solved:time" per row, in order.
std::string ranking_of(const core::Scoreboard& board) {
  std::string out;
  for (const auto& row : board.rows)
    out += row.team_id + ":" + std::to_string(row.rank) + ":" + std::to_string(row.num_solved) +
           ":" + std::to_string(row.total_time) + " ";
  return out;
}

core::Scoreboard board(const std::vector<core::ScoreboardSubmission>& subs,
                       const core::Contest& c = contest(),
                       ScoreboardView view = ScoreboardView::Jury,
                       int64_t now = kStart + kDuration) {
  return core::compute_scoreboard(c, problems(), teams(), subs, view, now);
}

struct CellCase {
  const char* rule;
  std::vector<core::ScoreboardSubmission> subs;
  int num_judged, num_pending;
  bool solved;
  std::optional<int64_t> time;
  int64_t total_time;
};

TEST(Scoreboard, PassFailCellRules) {
  const std::vector<CellCase> cases = {
      {"nothing submitted", {}, 0, 0, false, std::nullopt, 0},
      {"AC: minutes floored", {sub("t1", "A", 59 * kMinute + 59'999, "AC")}, 1, 0, true, 59, 59},
      {"AC at second 0", {sub("t1", "A", 0, "AC")}, 1, 0, true, 0, 0},
      {"rejected tries add penalty",
       {sub("t1", "A", 1 * kMinute, "WA"), sub("t1", "A", 2 * kMinute, "TLE"),
        sub("t1", "A", 10 * kMinute, "AC")},
       3,
       0,
       true,
       10,
       50},
      {"CE and JE: no penalty, not tries",
       {sub("t1", "A", 1 * kMinute, "CE"), sub("t1", "A", 2 * kMinute, "JE"),
        sub("t1", "A", 10 * kMinute, "AC")},
       1,
       1,
       true,
       10,
       10},
      {"nothing counts after the first AC",
       {sub("t1", "A", 10 * kMinute, "AC"), sub("t1", "A", 11 * kMinute, "WA"),
        sub("t1", "A", 12 * kMinute, "")},
       1,
       0,
       true,
       10,
       10},
      {"rejected only: no time",
       {sub("t1", "A", 5 * kMinute, "RTE")},
       1,
       0,
       false,
       std::nullopt,
       0},
      {"pending is shown, not ranked",
       {sub("t1", "A", 5 * kMinute, "WA"), sub("t1", "A", 6 * kMinute, "")},
       1,
       1,
       false,
       std::nullopt,
       0},
      {"input order does not matter",
       {sub("t1", "A", 10 * kMinute, "AC"), sub("t1", "A", 1 * kMinute, "WA")},
       2,
       0,
       true,
       10,
       30},
      {"after the end: ignored", {sub("t1", "A", kDuration, "AC")}, 0, 0, false, std::nullopt, 0},
      {"before the start: ignored", {sub("t1", "A", -1, "AC")}, 0, 0, false, std::nullopt, 0},
      {"unknown team or problem: ignored",
       {sub("zz", "A", 1, "AC"), sub("t1", "Z", 1, "AC")},
       0,
       0,
       false,
       std::nullopt,
       0},
  };
  for (const auto& c : cases) {
    auto b = board(c.subs);
    const auto& row = row_of(b, "t1");
    const auto& cell = row.problems[0];
    EXPECT_EQ(cell.problem_id, "A") << c.rule;
    EXPECT_EQ(cell.num_judged, c.num_judged) << c.rule;
    EXPECT_EQ(cell.num_pending, c.num_pending) << c.rule;
    EXPECT_EQ(cell.solved, c.solved) << c.rule;
    EXPECT_EQ(cell.time_minutes, c.time) << c.rule;
    EXPECT_EQ(row.total_time, c.total_time) << c.rule;
    EXPECT_EQ(row.num_solved, c.solved ? 1 : 0) << c.rule;
  }
}

struct RankCase {
  const char* rule;
  std::vector<core::ScoreboardSubmission> subs;
  std::vector<std::pair<std::string, int>> ranks;  // team, rank in display order
};

TEST(Scoreboard, RanksBySolvedThenTimeThenLastAc) {
  const std::vector<RankCase> cases = {
      {"all equal: one shared rank", {}, {{"t1", 1}, {"t2", 1}, {"t3", 1}}},
      {"more solved wins over less time",
       {sub("t1", "A", 100 * kMinute, "AC"), sub("t1", "B", 100 * kMinute, "AC"),
        sub("t2", "A", 1 * kMinute, "AC")},
       {{"t1", 1}, {"t2", 2}, {"t3", 3}}},
      {"less time wins",
       {sub("t2", "A", 10 * kMinute, "AC"), sub("t1", "A", 1 * kMinute, "WA"),
        sub("t1", "A", 5 * kMinute, "AC")},
       {{"t2", 1}, {"t1", 2}, {"t3", 3}}},
      {"equal time: earlier last AC wins",
       // t1: 10 + 50 = 60, last AC 50. t2: 30 + 30 = 60, last AC 30.
       {sub("t1", "A", 10 * kMinute, "AC"), sub("t1", "B", 50 * kMinute, "AC"),
        sub("t2", "A", 30 * kMinute, "AC"), sub("t2", "B", 30 * kMinute, "AC")},
       {{"t2", 1}, {"t1", 2}, {"t3", 3}}},
      {"equal on all three: shared rank, next rank skips",
       {sub("t1", "A", 10 * kMinute, "AC"), sub("t2", "A", 10 * kMinute + 30'000, "AC")},
       {{"t1", 1}, {"t2", 1}, {"t3", 3}}},
  };
  for (const auto& c : cases) {
    auto b = board(c.subs);
    ASSERT_EQ(b.rows.size(), c.ranks.size()) << c.rule;
    for (size_t i = 0; i < c.ranks.size(); ++i) {
      EXPECT_EQ(b.rows[i].team_id, c.ranks[i].first) << c.rule << " position " << i;
      EXPECT_EQ(b.rows[i].rank, c.ranks[i].second) << c.rule << " position " << i;
    }
  }
}

TEST(Scoreboard, FirstToSolveIsTheEarliestAcOnly) {
  auto b = board({sub("t1", "A", 10 * kMinute + 1, "AC"), sub("t2", "A", 10 * kMinute, "AC"),
                  sub("t3", "A", 9 * kMinute, "WA")});
  EXPECT_TRUE(row_of(b, "t2").problems[0].first_to_solve);
  EXPECT_FALSE(row_of(b, "t1").problems[0].first_to_solve) << "same minute, later millisecond";
  EXPECT_FALSE(row_of(b, "t3").problems[0].first_to_solve);
  EXPECT_FALSE(row_of(b, "t2").problems[1].first_to_solve) << "unsolved problem";
}

TEST(Scoreboard, FreezeHidesFromThePublicUntilThawButNotFromTheJury) {
  auto c = contest();
  c.freeze_ms = kFreeze;
  const std::vector<core::ScoreboardSubmission> subs = {
      sub("t1", "A", 100 * kMinute, "AC"),
      sub("t2", "A", 239 * kMinute + 59'999, "AC"),  // Just before the freeze: visible.
      sub("t2", "B", 240 * kMinute, "WA"),           // At the freeze start: hidden.
      sub("t3", "A", 250 * kMinute, "AC"), sub("t3", "B", 260 * kMinute, "AC")};
  const int64_t end = kStart + kDuration;
  auto pub = board(subs, c, ScoreboardView::Public, end + 1);
  EXPECT_EQ(row_of(pub, "t2").problems[0].solved, true);
  EXPECT_EQ(row_of(pub, "t2").problems[1].num_pending, 1);
  EXPECT_EQ(row_of(pub, "t2").problems[1].num_judged, 0);
  EXPECT_EQ(row_of(pub, "t3").num_solved, 0);
  EXPECT_EQ(row_of(pub, "t3").problems[0].num_pending, 1);
  EXPECT_TRUE(row_of(pub, "t1").problems[0].first_to_solve);
  EXPECT_EQ(pub.rows[2].team_id, "t3");

  auto jury = board(subs, c, ScoreboardView::Jury, end + 1);
  EXPECT_EQ(jury.rows[0].team_id, "t3");
  EXPECT_EQ(row_of(jury, "t3").num_solved, 2);
  EXPECT_EQ(row_of(jury, "t2").problems[1].num_judged, 1);

  c.thawed_ms = end + 10;
  auto before_thaw = board(subs, c, ScoreboardView::Public, end + 9);
  EXPECT_EQ(row_of(before_thaw, "t3").num_solved, 0) << "thaw scheduled, not yet due";
  auto thawed = board(subs, c, ScoreboardView::Public, end + 10);
  EXPECT_EQ(thawed.rows[0].team_id, "t3") << "after the thaw the public sees the truth";
  EXPECT_EQ(row_of(thawed, "t3").num_solved, 2);
}

TEST(Scoreboard, NowLimitsWhatCounts) {
  auto b = board({sub("t1", "A", 10 * kMinute, "AC")}, contest(), ScoreboardView::Jury,
                 kStart + 5 * kMinute);
  EXPECT_EQ(row_of(b, "t1").num_solved, 0);
}

TEST(Scoreboard, ScoreContestSumsProblemScores) {
  auto c = contest();
  c.scoreboard_type = "score";
  auto b = board({sub("t1", "A", 50 * kMinute, "AC"), sub("t1", "B", 60 * kMinute, "AC"),
                  sub("t2", "A", 1 * kMinute, "WA"), sub("t2", "A", 2 * kMinute, "AC"),
                  sub("t3", "A", 2 * kMinute, "AC")},
                 c);
  EXPECT_TRUE(b.score_contest);
  EXPECT_EQ(b.rows[0].team_id, "t1");
  EXPECT_EQ(b.rows[0].score, 2);
  EXPECT_EQ(b.rows[1].rank, 2) << "no penalty in score contests: t2 and t3 tie";
  EXPECT_EQ(b.rows[2].rank, 2);
}

// Rule 8: scored submissions carry their judgement's score.
core::ScoreboardSubmission scored(const std::string& team, const std::string& problem, int64_t ms,
                                  const std::string& verdict, double score) {
  core::ScoreboardSubmission s = sub(team, problem, ms, verdict);
  s.score = score;
  return s;
}

core::Contest score_contest() {
  auto c = contest();
  c.scoreboard_type = "score";
  return c;
}

TEST(Scoreboard, ScoreContestTakesTheBestScorePerProblem) {
  // t1: A 11 at minute 5, then a worse 1 at minute 9, then 41 at minute 20; B pass-fail AC = 1.
  auto b = board({scored("t1", "A", 5 * kMinute, "WA", 11), scored("t1", "A", 9 * kMinute, "WA", 1),
                  scored("t1", "A", 20 * kMinute, "AC", 41), sub("t1", "B", 30 * kMinute, "AC"),
                  scored("t2", "A", 3 * kMinute, "WA", 11)},
                 score_contest());
  const auto& t1 = row_of(b, "t1");
  EXPECT_DOUBLE_EQ(t1.score, 42);
  EXPECT_DOUBLE_EQ(t1.problems[0].score, 41);
  EXPECT_EQ(t1.problems[0].time_minutes, 20) << "the minute the best score was reached";
  EXPECT_TRUE(t1.problems[0].solved);
  EXPECT_EQ(t1.problems[0].num_judged, 3);
  EXPECT_EQ(t1.last_ac_minutes, 30) << "row time: the last improvement";
  const auto& t2 = row_of(b, "t2");
  EXPECT_DOUBLE_EQ(t2.score, 11);
  EXPECT_FALSE(t2.problems[0].solved);
  EXPECT_EQ(t2.problems[0].time_minutes, 3);
  EXPECT_EQ(t2.rank, 2);
  // t3 scored nothing: no time anywhere.
  EXPECT_EQ(row_of(b, "t3").last_ac_minutes, std::nullopt);
  EXPECT_EQ(row_of(b, "t3").problems[0].time_minutes, std::nullopt);
}

TEST(Scoreboard, ScoreContestTiesBreakOnTheLastImprovement) {
  // Both reach 11; t2 got there at minute 4, t1 at minute 8 (after an earlier 1): t2 ranks first.
  // An equal score later (t2 at minute 50) is no improvement.
  auto b =
      board({scored("t1", "A", 2 * kMinute, "WA", 1), scored("t1", "A", 8 * kMinute, "WA", 11),
             scored("t2", "A", 4 * kMinute, "WA", 11), scored("t2", "A", 50 * kMinute, "WA", 11)},
            score_contest());
  EXPECT_EQ(b.rows[0].team_id, "t2");
  EXPECT_EQ(b.rows[0].rank, 1);
  EXPECT_EQ(b.rows[0].last_ac_minutes, 4);
  EXPECT_EQ(b.rows[1].team_id, "t1");
  EXPECT_EQ(b.rows[1].rank, 2);
  // Same score at the same minute: a shared rank.
  auto tie = board(
      {scored("t1", "A", 4 * kMinute, "WA", 11), scored("t2", "A", 4 * kMinute + 30'000, "WA", 11)},
      score_contest());
  EXPECT_EQ(tie.rows[0].rank, 1);
  EXPECT_EQ(tie.rows[1].rank, 1);
}

TEST(Scoreboard, ScoreContestFreezeHidesLaterScoresAndPendingScoresNothing) {
  auto c = score_contest();
  c.freeze_ms = kFreeze;
  const std::vector<core::ScoreboardSubmission> subs = {
      scored("t1", "A", 10 * kMinute, "WA", 11), scored("t1", "A", 250 * kMinute, "AC", 41),
      scored("t2", "A", 12 * kMinute, "JE", 30), sub("t2", "A", 13 * kMinute, "")};
  const int64_t now = kStart + 260 * kMinute;
  auto pub = board(subs, c, ScoreboardView::Public, now);
  EXPECT_DOUBLE_EQ(row_of(pub, "t1").score, 11) << "the AC after the freeze is pending";
  EXPECT_EQ(row_of(pub, "t1").problems[0].num_pending, 1);
  EXPECT_DOUBLE_EQ(row_of(pub, "t2").score, 0) << "JE and unjudged score nothing";
  EXPECT_EQ(row_of(pub, "t2").problems[0].num_pending, 2);
  auto jury = board(subs, c, ScoreboardView::Jury, now);
  EXPECT_DOUBLE_EQ(row_of(jury, "t1").score, 41);
}

TEST(Scoreboard, UnscheduledContestRanksEveryoneEqual) {
  auto c = contest();
  c.start_ms.reset();
  auto b = board({sub("t1", "A", 1, "AC")}, c);
  for (const auto& row : b.rows) EXPECT_EQ(row.rank, 1);
}

// DESIGN.md: standings stay fast for thousands of teams. 1,000 teams x 30 submissions; the
// bound is loose (sanitizer builds) and only catches an accidental quadratic.
TEST(Scoreboard, ScalesToAThousandTeams) {
  std::vector<core::Team> many;
  std::vector<core::ScoreboardSubmission> subs;
  for (int t = 0; t < 1000; ++t) {
    many.push_back({"t" + std::to_string(t), "", ""});
    for (int i = 0; i < 30; ++i)
      subs.push_back(
          sub(many.back().id, i % 2 ? "A" : "B", (t + i * 997) % kDuration, i % 3 ? "WA" : "AC"));
  }
  const auto started = std::chrono::steady_clock::now();
  auto b = core::compute_scoreboard(contest(), problems(), many, subs, ScoreboardView::Jury,
                                    kStart + kDuration);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(b.rows.size(), 1000u);
  for (size_t i = 1; i < b.rows.size(); ++i) {
    EXPECT_GE(b.rows[i - 1].num_solved, b.rows[i].num_solved);
    EXPECT_LE(b.rows[i - 1].rank, b.rows[i].rank);
  }
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(Scoreboard, TakesSubmissionsInTimeThenIdOrderWhateverTheInputOrder) {
  auto ac = sub("t1", "A", 20 * kMinute, "AC"), wa = sub("t1", "A", 10 * kMinute, "WA");
  EXPECT_EQ(row_of(board({ac, wa}), "t1").total_time, 40) << "the earlier WA still counts";
  // Same millisecond: the lower id came first.
  auto first = sub("t1", "A", 10 * kMinute, "AC"), second = sub("t1", "A", 10 * kMinute, "WA");
  first.id = 1, second.id = 2;
  EXPECT_EQ(row_of(board({second, first}), "t1").total_time, 10);
  EXPECT_EQ(row_of(board({second, first}), "t1").problems[0].num_judged, 1);
  first.verdict = domain::Verdict::WA, second.verdict = domain::Verdict::AC;
  EXPECT_EQ(row_of(board({second, first}), "t1").total_time, 30);
}

// Problem ids are secret until the start (GET problems is a 403): the public board has rows
// but no cells before it; the jury's has them always.
TEST(Scoreboard, BeforeTheStartThePublicBoardNamesNoProblems) {
  const core::Contest c = contest();
  auto before = board({}, c, ScoreboardView::Public, kStart - 1);
  ASSERT_EQ(before.rows.size(), 3u);
  for (const auto& row : before.rows) EXPECT_TRUE(row.problems.empty()) << row.team_id;
  EXPECT_EQ(board({}, c, ScoreboardView::Jury, kStart - 1).rows[0].problems.size(), 2u);
  EXPECT_EQ(board({}, c, ScoreboardView::Public, kStart).rows[0].problems.size(), 2u);
  core::Contest unscheduled = c;
  unscheduled.start_ms.reset();
  EXPECT_FALSE(core::scoreboard_shows_problems(unscheduled, ScoreboardView::Public, kStart));
  EXPECT_TRUE(core::scoreboard_shows_problems(unscheduled, ScoreboardView::Jury, kStart));
}

TEST(Scoreboard, OnlyThePublicViewOfAFrozenBoardHidesSubmissions) {
  auto c = contest();
  const int64_t end = kStart + kDuration, freeze = end - kFreeze;
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Public, end - 1), std::nullopt)
      << "no freeze configured";
  c.freeze_ms = kFreeze;
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Public, freeze - 1), std::nullopt);
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Public, freeze), freeze);
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Public, end + kMinute), freeze)
      << "frozen after the end until the thaw";
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Jury, freeze), std::nullopt);
  c.thawed_ms = end;
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Public, end - 1), freeze);
  EXPECT_EQ(core::scoreboard_hidden_from(c, ScoreboardView::Public, end), std::nullopt);
}

TEST(Scoreboard, StaysUnchangedUntilTheNextSubmissionStartsToCount) {
  const int64_t now = kStart + 100 * kMinute;
  std::vector<core::ScoreboardSubmission> subs = {
      sub("t1", "A", -kMinute, "AC"),        // Before the start: never counts.
      sub("t1", "A", 50 * kMinute, "AC"),    // Counts already.
      sub("t2", "A", 100 * kMinute, "WA"),   // At now: counts already.
      sub("t2", "B", 130 * kMinute, "AC"),   // Counts from minute 130.
      sub("t3", "A", 120 * kMinute, "AC"),   // Counts from minute 120: the first change.
      sub("t3", "B", kDuration + 1, "AC")};  // After the end: never counts.
  auto until = core::scoreboard_unchanged_until(contest(), subs, now);
  ASSERT_EQ(until, kStart + 120 * kMinute);
  // What the function promises: the same board just before, a different one at that instant.
  auto at = [&](int64_t t) { return board(subs, contest(), ScoreboardView::Jury, t); };
  EXPECT_EQ(ranking_of(at(now)), ranking_of(at(*until - 1)));
  EXPECT_NE(ranking_of(at(now)), ranking_of(at(*until)));
  EXPECT_EQ(core::scoreboard_unchanged_until(contest(), subs, kStart + kDuration), std::nullopt)
      << "nothing left to count after the end";
  auto unscheduled = contest();
  unscheduled.start_ms.reset();
  EXPECT_EQ(core::scoreboard_unchanged_until(unscheduled, subs, now), std::nullopt);
}

TEST(ContestState, FollowsTheClock) {
  auto c = contest();
  c.freeze_ms = kFreeze;
  const int64_t end = kStart + kDuration, freeze = end - kFreeze;
  struct Case {
    const char* when;
    int64_t now;
    std::optional<int64_t> thawed_ms, finalized_ms;
    core::ContestState want;
  };
  using std::nullopt;
  const std::vector<Case> cases = {
      {"before start", kStart - 1, nullopt, nullopt, {}},
      {"running", kStart, nullopt, nullopt, {kStart, nullopt, nullopt, nullopt, nullopt, nullopt}},
      {"frozen", freeze, nullopt, nullopt, {kStart, freeze, nullopt, nullopt, nullopt, nullopt}},
      {"ended", end, nullopt, nullopt, {kStart, freeze, end, nullopt, nullopt, nullopt}},
      {"finalized, still frozen",
       end + 2,
       nullopt,
       end + 1,
       {kStart, freeze, end, nullopt, end + 1, nullopt}},
      {"thaw scheduled later",
       end + 2,
       end + 5,
       end + 1,
       {kStart, freeze, end, nullopt, end + 1, nullopt}},
      {"thawed and finalized",
       end + 5,
       end + 5,
       end + 1,
       {kStart, freeze, end, end + 5, end + 1, end + 5}},
  };
  for (const auto& k : cases) {
    c.thawed_ms = k.thawed_ms;
    c.finalized_ms = k.finalized_ms;
    auto s = core::contest_state(c, k.now);
    EXPECT_EQ(s.started, k.want.started) << k.when;
    EXPECT_EQ(s.frozen, k.want.frozen) << k.when;
    EXPECT_EQ(s.ended, k.want.ended) << k.when;
    EXPECT_EQ(s.thawed, k.want.thawed) << k.when;
    EXPECT_EQ(s.finalized, k.want.finalized) << k.when;
    EXPECT_EQ(s.end_of_updates, k.want.end_of_updates) << k.when;
  }
  auto plain = contest();
  plain.finalized_ms = end + 1;
  EXPECT_EQ(core::contest_state(plain, end + 1).end_of_updates, end + 1) << "no freeze: final";
}

}  // namespace
