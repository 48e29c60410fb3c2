#include "core/awards.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace core {
namespace {

double primary(const ScoreboardRow& row, bool score_contest) {
  return score_contest ? row.score : row.num_solved;
}

// Rules 2-4: each ranked team's rank; unranked teams are absent.
std::map<std::string, int> award_ranks(const Contest& contest, const Scoreboard& board) {
  const auto& rows = board.rows;  // In position order.
  const int n_medals =
      contest.gold_medals + contest.silver_medals + contest.bronze_medals + contest.extra_bronze;
  std::map<std::string, int> ranks;
  if (rows.empty()) return ranks;
  const double median = primary(rows[(rows.size() - 1) / 2], board.score_contest);
  std::vector<const ScoreboardRow*> rest;
  for (const auto& row : rows) {
    const double p = primary(row, board.score_contest);
    if (p > 0 && row.rank <= n_medals) {
      ranks[row.team_id] = row.rank;
    } else if (p > 0 && p >= median) {
      rest.push_back(&row);
    }
  }
  const int positioned = static_cast<int>(ranks.size());
  for (const auto* row : rest) {
    const double p = primary(*row, board.score_contest);
    auto better = std::count_if(rest.begin(), rest.end(), [&](const ScoreboardRow* other) {
      return primary(*other, board.score_contest) > p;
    });
    ranks[row->team_id] = positioned + 1 + static_cast<int>(better);
  }
  return ranks;
}

void add_medals(std::vector<Award>& awards, const Contest& contest,
                const std::map<std::string, int>& ranks, const Scoreboard& board) {
  Award gold{"gold-medal", "Gold medal winner", {}};
  Award silver{"silver-medal", "Silver medal winner", {}};
  Award bronze{"bronze-medal", "Bronze medal winner", {}};
  const int g = contest.gold_medals, s = g + contest.silver_medals,
            b = s + contest.bronze_medals + contest.extra_bronze;
  for (const auto& row : board.rows) {  // Rule 1: only teams that scored.
    auto rank = ranks.find(row.team_id);
    if (rank == ranks.end() || primary(row, board.score_contest) <= 0) continue;
    if (rank->second <= g) {
      gold.team_ids.push_back(row.team_id);
    } else if (rank->second <= s) {
      silver.team_ids.push_back(row.team_id);
    } else if (rank->second <= b) {
      bronze.team_ids.push_back(row.team_id);
    }
  }
  for (auto* award : {&gold, &silver, &bronze}) awards.push_back(std::move(*award));
}

void add_ranks(std::vector<Award>& awards, const std::map<std::string, int>& ranks,
               const Scoreboard& board) {
  std::map<int, std::vector<std::string>> by_rank;
  Award honorable{"honorable-mention", "Honorable mention", {}};
  for (const auto& row : board.rows) {
    auto rank = ranks.find(row.team_id);
    if (rank == ranks.end()) {
      honorable.team_ids.push_back(row.team_id);
    } else {
      by_rank[rank->second].push_back(row.team_id);
    }
  }
  for (auto& [rank, teams] : by_rank)
    awards.push_back({"rank-" + std::to_string(rank), "Rank " + std::to_string(rank), teams});
  awards.push_back(std::move(honorable));
}

// Rule 8: the earliest AC of each problem, unless a submission no later than it is pending.
void add_first_to_solve(std::vector<Award>& awards, const Contest& contest, const Scoreboard& board,
                        const std::vector<Problem>& problems,
                        const std::vector<ScoreboardSubmission>& submissions, ScoreboardView view,
                        int64_t now_ms) {
  // The problems the board shows (none before the start in the public view).
  std::set<std::string> shown, on_board;
  if (!board.rows.empty())
    for (const auto& cell : board.rows.front().problems) shown.insert(cell.problem_id);
  for (const auto& row : board.rows) on_board.insert(row.team_id);
  struct First {
    std::optional<int64_t> ac_ms, pending_ms;  // Earliest AC, earliest pending.
    std::vector<std::string> teams;
  };
  std::map<std::string, First> first;
  const auto hide_from = scoreboard_hidden_from(contest, view, now_ms);
  if (contest.start_ms) {
    const int64_t start = *contest.start_ms, end = start + contest.duration_ms;
    for (const auto& s : submissions) {
      if (s.submitted_ms < start || s.submitted_ms >= end || s.submitted_ms > now_ms) continue;
      if (!shown.count(s.problem_id) || !on_board.count(s.team_id)) continue;
      First& f = first[s.problem_id];
      const bool pending =
          (hide_from && s.submitted_ms >= *hide_from) || !s.verdict || *s.verdict == Verdict::JE;
      if (pending) {
        f.pending_ms = std::min(f.pending_ms.value_or(s.submitted_ms), s.submitted_ms);
      } else if (*s.verdict == Verdict::AC) {
        if (!f.ac_ms || s.submitted_ms < *f.ac_ms) f.teams.clear();
        if (!f.ac_ms || s.submitted_ms <= *f.ac_ms) {
          f.ac_ms = s.submitted_ms;
          f.teams.push_back(s.team_id);
        }
      }
    }
  }
  for (const auto& problem : problems) {
    if (!shown.count(problem.id)) continue;
    Award award{"first-to-solve-" + problem.id, "First to solve problem " + problem.label, {}};
    const First& f = first[problem.id];
    if (f.ac_ms && !(f.pending_ms && *f.pending_ms <= *f.ac_ms)) {
      std::set<std::string> unique(f.teams.begin(), f.teams.end());
      award.team_ids.assign(unique.begin(), unique.end());
    }
    awards.push_back(std::move(award));
  }
}

// Rule 7: per group, its teams that scored in the group's best position.
void add_group_winners(std::vector<Award>& awards, const Scoreboard& board,
                       const std::vector<Team>& teams, const std::vector<Group>& groups) {
  std::map<std::string, const Team*> team_by_id;
  for (const auto& team : teams) team_by_id[team.id] = &team;
  std::map<std::string, std::vector<const ScoreboardRow*>> members;  // In position order.
  for (const auto& row : board.rows) {
    auto team = team_by_id.find(row.team_id);
    if (team == team_by_id.end()) continue;
    for (const auto& group : team->second->group_ids) members[group].push_back(&row);
  }
  for (const auto& group : groups) {
    auto rows = members.find(group.id);
    if (rows == members.end()) continue;
    Award award{"group-winner-" + group.id, "Winner(s) of group " + group.name, {}};
    const ScoreboardRow* best = rows->second.front();
    if (primary(*best, board.score_contest) > 0)
      for (const auto* row : rows->second)
        if (row->rank == best->rank) award.team_ids.push_back(row->team_id);
    awards.push_back(std::move(award));
  }
}

}  // namespace

std::vector<Award> compute_awards(const Contest& contest, const Scoreboard& board,
                                  const std::vector<Problem>& problems,
                                  const std::vector<Team>& teams, const std::vector<Group>& groups,
                                  const std::vector<ScoreboardSubmission>& submissions,
                                  ScoreboardView view, int64_t now_ms) {
  std::vector<Award> awards;
  Award winner{"winner", "Contest winner", {}};
  for (const auto& row : board.rows)
    if (row.rank == 1 && primary(row, board.score_contest) > 0)
      winner.team_ids.push_back(row.team_id);
  awards.push_back(std::move(winner));
  const auto ranks = award_ranks(contest, board);
  add_medals(awards, contest, ranks, board);
  add_ranks(awards, ranks, board);
  add_first_to_solve(awards, contest, board, problems, submissions, view, now_ms);
  add_group_winners(awards, board, teams, groups);
  for (auto& award : awards) std::sort(award.team_ids.begin(), award.team_ids.end());
  return awards;
}

}  // namespace core
