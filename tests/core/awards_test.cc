// The award rules of core/awards.h on hand-checked boards: every expectation below was worked
// out by hand from the CCS text quoted in the header, not by running the code.
#include "core/awards.h"

#include <gtest/gtest.h>

#include <map>

namespace {

using core::ScoreboardView;
constexpr int64_t kStart = 1'700'000'000'000;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kDuration = 300 * kMinute;
constexpr int64_t kFreeze = 60 * kMinute;  // The freeze starts at minute 240.

core::Contest contest(int gold = 4, int silver = 4, int bronze = 4, int extra = 0) {
  core::Contest c;
  c.id = "c1";
  c.start_ms = kStart;
  c.duration_ms = kDuration;
  c.gold_medals = gold;
  c.silver_medals = silver;
  c.bronze_medals = bronze;
  c.extra_bronze = extra;
  return c;
}

// A hand-made board: "team:position:solved" per row, in position order.
core::Scoreboard board_of(const std::vector<std::tuple<std::string, int, int>>& rows) {
  core::Scoreboard board;
  for (const auto& [team, position, solved] : rows) {
    core::ScoreboardRow row;
    row.team_id = team;
    row.rank = position;
    row.num_solved = solved;
    board.rows.push_back(row);
  }
  return board;
}

// Awards by id, team ids joined by spaces.
std::map<std::string, std::string> by_id(const std::vector<core::Award>& awards) {
  std::map<std::string, std::string> out;
  for (const auto& award : awards) {
    std::string teams;
    for (const auto& t : award.team_ids) teams += (teams.empty() ? "" : " ") + t;
    out[award.id] = teams;
  }
  return out;
}

std::map<std::string, std::string> awards_of(const core::Contest& c,
                                             const core::Scoreboard& board) {
  return by_id(
      core::compute_awards(c, board, {}, {}, {}, {}, ScoreboardView::Jury, kStart + kDuration));
}

// 14 teams: a tie at position 4 (the gold boundary) and at 12 (the bronze boundary).
core::Scoreboard fourteen() {
  return board_of({{"t01", 1, 10},
                   {"t02", 2, 9},
                   {"t03", 3, 8},
                   {"t04", 4, 7},
                   {"t05", 4, 7},
                   {"t06", 6, 6},
                   {"t07", 7, 5},
                   {"t08", 8, 5},
                   {"t09", 9, 4},
                   {"t10", 10, 4},
                   {"t11", 11, 3},
                   {"t12", 12, 3},
                   {"t13", 12, 3},
                   {"t14", 14, 1}});
}

TEST(Awards, MedalsByRankWithTiesAtTheBoundaries) {
  auto a = awards_of(contest(), fourteen());
  EXPECT_EQ(a["winner"], "t01");
  // Rank 4 is gold: both teams tied there get it, and rank 5 stays empty (CCS: "a suitable
  // number of subsequent positions/ranks are left empty").
  EXPECT_EQ(a["gold-medal"], "t01 t02 t03 t04 t05");
  EXPECT_EQ(a["silver-medal"], "t06 t07 t08");
  EXPECT_EQ(a["bronze-medal"], "t09 t10 t11 t12 t13");  // Both at 12 are in "9 through 12".
  EXPECT_EQ(a["rank-4"], "t04 t05");
  EXPECT_EQ(a.count("rank-5"), 0u);
  EXPECT_EQ(a["rank-12"], "t12 t13");
  // Median: 14 rows, index 6 is t07 with 5 solved; t14 (1) is below it and not ranked.
  EXPECT_EQ(a.count("rank-14"), 0u);
  EXPECT_EQ(a["honorable-mention"], "t14");
}

TEST(Awards, ExtraBronzeExtendsThePositionalRanks) {
  // B = 1: positions up to 13; position 14 is not, and t14 is below the median.
  auto b1 = awards_of(contest(4, 4, 4, 1), fourteen());
  EXPECT_EQ(b1["bronze-medal"], "t09 t10 t11 t12 t13");
  EXPECT_EQ(b1["honorable-mention"], "t14");
  // B = 2: position 14 is within 12 + B, so rule 7.1 ranks t14 at 14 before the median
  // applies: a bronze medal.
  auto b2 = awards_of(contest(4, 4, 4, 2), fourteen());
  EXPECT_EQ(b2["bronze-medal"], "t09 t10 t11 t12 t13 t14");
  EXPECT_EQ(b2["rank-14"], "t14");
  EXPECT_EQ(b2["honorable-mention"], "");
}

TEST(Awards, MedalCountsAreSettings) {
  auto a = awards_of(contest(1, 2, 3), fourteen());
  EXPECT_EQ(a["gold-medal"], "t01");
  EXPECT_EQ(a["silver-medal"], "t02 t03");
  EXPECT_EQ(a["bronze-medal"], "t04 t05 t06");  // Ranks 4 through 1 + 2 + 3 = 6.
}

TEST(Awards, BelowTheMedalsRankedByProblemsSolvedOnly) {
  // N = 3. Odd count (7): the median is index 3, d with 2 solved.
  auto odd = board_of(
      {{"a", 1, 5}, {"b", 2, 4}, {"c", 3, 3}, {"d", 4, 2}, {"e", 5, 2}, {"f", 6, 1}, {"g", 7, 0}});
  auto a = awards_of(contest(1, 1, 1), odd);
  EXPECT_EQ(a["rank-3"], "c");
  // d and e differ in position (penalty) but solved as many: they share rank 3 + 1.
  EXPECT_EQ(a["rank-4"], "d e");
  EXPECT_EQ(a.count("rank-5"), 0u);
  EXPECT_EQ(a["honorable-mention"], "f g");
  // Even count (8, h solved 0): the two middle rows are d (2) and e (2): same median.
  auto even = odd;
  even.rows.push_back(board_of({{"h", 8, 0}}).rows[0]);
  a = awards_of(contest(1, 1, 1), even);
  EXPECT_EQ(a["rank-4"], "d e");
  EXPECT_EQ(a["honorable-mention"], "f g h");
}

TEST(Awards, EvenMedianBetweenTwoCounts) {
  // Six teams solving 5..0, one gold only (N = 1). Middle rows: c (3) and d (2), mean 2.5:
  // d solved fewer than that, as it did fewer than c (the upper middle row).
  auto six =
      board_of({{"a", 1, 5}, {"b", 2, 4}, {"c", 3, 3}, {"d", 4, 2}, {"e", 5, 1}, {"f", 6, 0}});
  auto a = awards_of(contest(1, 0, 0), six);
  EXPECT_EQ(a["gold-medal"], "a");
  EXPECT_EQ(a["silver-medal"], "");
  EXPECT_EQ(a["rank-2"], "b");
  EXPECT_EQ(a["rank-3"], "c");
  EXPECT_EQ(a["honorable-mention"], "d e f");
}

TEST(Awards, NobodyScoredNobodyWins) {
  auto a = awards_of(contest(), board_of({{"a", 1, 0}, {"b", 1, 0}}));
  EXPECT_EQ(a["winner"], "");
  EXPECT_EQ(a["gold-medal"], "");
  EXPECT_EQ(a.count("rank-1"), 0u);
  EXPECT_EQ(a["honorable-mention"], "a b");
  // A tie for first: both win.
  a = awards_of(contest(), board_of({{"a", 1, 2}, {"b", 1, 2}, {"c", 3, 1}}));
  EXPECT_EQ(a["winner"], "a b");
}

TEST(Awards, GroupWinners) {
  std::vector<core::Team> teams = {{"a", "", "", std::nullopt, {"g1"}},
                                   {"b", "", "", std::nullopt, {"g1", "g2"}},
                                   {"c", "", "", std::nullopt, {"g1"}},
                                   {"d", "", "", std::nullopt, {"g3"}}};
  std::vector<core::Group> groups = {{"g1", "One"}, {"g2", "Two"}, {"g3", "Three"}, {"g4", "Four"}};
  auto board = board_of({{"x", 1, 4}, {"a", 2, 3}, {"b", 2, 3}, {"c", 4, 2}, {"d", 5, 0}});
  auto awards = core::compute_awards(contest(), board, {}, teams, groups, {}, ScoreboardView::Jury,
                                     kStart + kDuration);
  auto a = by_id(awards);
  EXPECT_EQ(a["group-winner-g1"], "a b");  // Tied in the group's best position.
  EXPECT_EQ(a["group-winner-g2"], "b");
  EXPECT_EQ(a["group-winner-g3"], "");        // Its only team has not scored.
  EXPECT_EQ(a.count("group-winner-g4"), 0u);  // No team of the contest in it.
  for (const auto& award : awards)
    if (award.id == "group-winner-g1") EXPECT_EQ(award.citation, "Winner(s) of group One");
}

// First to solve: boards computed from submissions, as the API does.
std::vector<core::Problem> problems() {
  core::Problem a, b;
  a.id = "A";
  a.label = "A";
  b.id = "B";
  b.label = "B";
  return {a, b};
}

std::vector<core::Team> three_teams() { return {{"t1", "", ""}, {"t2", "", ""}, {"t3", "", ""}}; }

core::ScoreboardSubmission sub(const std::string& team, const std::string& problem, int64_t ms,
                               const std::string& verdict, int64_t id = 0) {
  core::ScoreboardSubmission s{team, problem, kStart + ms, std::nullopt, id};
  if (!verdict.empty()) s.verdict = domain::parse_verdict(verdict).value();
  return s;
}

std::map<std::string, std::string> live(const std::vector<core::ScoreboardSubmission>& subs,
                                        ScoreboardView view, int64_t now,
                                        const core::Contest& c = contest()) {
  auto board = core::compute_scoreboard(c, problems(), three_teams(), subs, view, now);
  return by_id(core::compute_awards(c, board, problems(), three_teams(), {}, subs, view, now));
}

TEST(Awards, FirstToSolveByExactTimeWithinTheMinute) {
  // Both in minute 10: t2 at 10:10 is first, t1 at 10:30 is not (same scoreboard minute).
  auto a = live(
      {sub("t1", "A", 10 * kMinute + 30'000, "AC"), sub("t2", "A", 10 * kMinute + 10'000, "AC")},
      ScoreboardView::Jury, kStart + kDuration);
  EXPECT_EQ(a["first-to-solve-A"], "t2");
  EXPECT_EQ(a["first-to-solve-B"], "");  // Listed, nobody holds it yet.
  // The same millisecond: both.
  a = live({sub("t1", "A", 10 * kMinute, "AC", 1), sub("t2", "A", 10 * kMinute, "AC", 2)},
           ScoreboardView::Jury, kStart + kDuration);
  EXPECT_EQ(a["first-to-solve-A"], "t1 t2");
}

TEST(Awards, FirstToSolveWaitsForEarlierPendingSubmissions) {
  const int64_t end = kStart + kDuration;
  const auto ac = sub("t1", "B", 20 * kMinute, "AC");
  // An unjudged or JE submission made before the AC might be an earlier solve.
  EXPECT_EQ(
      live({sub("t3", "B", 5 * kMinute, ""), ac}, ScoreboardView::Jury, end)["first-to-solve-B"],
      "");
  EXPECT_EQ(
      live({sub("t3", "B", 5 * kMinute, "JE"), ac}, ScoreboardView::Jury, end)["first-to-solve-B"],
      "");
  // Judged WA (or anything but AC): the award is set.
  EXPECT_EQ(
      live({sub("t3", "B", 5 * kMinute, "WA"), ac}, ScoreboardView::Jury, end)["first-to-solve-B"],
      "t1");
  // Pending ones made later cannot change it, nor can a later AC: set is set.
  EXPECT_EQ(live({ac, sub("t3", "B", 25 * kMinute, ""), sub("t2", "B", 30 * kMinute, "AC")},
                 ScoreboardView::Jury, end)["first-to-solve-B"],
            "t1");
  // Only a changed judgement of an earlier submission (a rejudge) moves it.
  EXPECT_EQ(
      live({sub("t3", "B", 5 * kMinute, "AC"), ac}, ScoreboardView::Jury, end)["first-to-solve-B"],
      "t3");
}

TEST(Awards, FreezeHidesAFrozenPeriodFirstSolveFromThePublic) {
  core::Contest c = contest();
  c.freeze_ms = kFreeze;
  // t1 solves A in the frozen hour (minute 250); t2 solved B before it (minute 100) and
  // leads the true board with A too at minute 260.
  const std::vector<core::ScoreboardSubmission> subs = {
      sub("t2", "B", 100 * kMinute, "AC"), sub("t1", "A", 250 * kMinute, "AC"),
      sub("t2", "A", 260 * kMinute, "AC"), sub("t3", "B", 245 * kMinute, "AC")};
  const int64_t frozen = kStart + 270 * kMinute;
  auto jury = live(subs, ScoreboardView::Jury, frozen, c);
  EXPECT_EQ(jury["first-to-solve-A"], "t1");
  EXPECT_EQ(jury["first-to-solve-B"], "t2");
  EXPECT_EQ(jury["winner"], "t2");
  auto pub = live(subs, ScoreboardView::Public, frozen, c);
  EXPECT_EQ(pub["first-to-solve-A"], "");    // Still pending for the public.
  EXPECT_EQ(pub["first-to-solve-B"], "t2");  // Made before the freeze: nothing to hide.
  EXPECT_EQ(pub["winner"], "t2");
  EXPECT_EQ(pub["gold-medal"], "t2");  // t1 and t3 solved nothing the public can see.
  EXPECT_EQ(jury["gold-medal"], "t1 t2 t3");
  // After the thaw the public sees what the jury sees.
  c.thawed_ms = kStart + kDuration + kMinute;
  auto thawed = live(subs, ScoreboardView::Public, *c.thawed_ms, c);
  EXPECT_EQ(thawed["first-to-solve-A"], "t1");
  EXPECT_EQ(thawed["gold-medal"], "t1 t2 t3");
}

TEST(Awards, PublicBeforeTheStartNamesNoProblem) {
  core::Contest c = contest();
  auto board = core::compute_scoreboard(c, problems(), three_teams(), {}, ScoreboardView::Public,
                                        kStart - kMinute);
  auto a = by_id(core::compute_awards(c, board, problems(), three_teams(), {}, {},
                                      ScoreboardView::Public, kStart - kMinute));
  EXPECT_EQ(a.count("first-to-solve-A"), 0u);
  EXPECT_EQ(a["winner"], "");
}

}  // namespace
