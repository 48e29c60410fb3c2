// Awards: ONE pure function from a computed scoreboard (and the submissions, for first to
// solve) to the CLICS awards, by the CCS System Requirements 2023-06 ("Scoring Data
// Generation" rules 7 and 8, "Final Results Data Files", and the Contest API's known awards).
// No I/O; the API serves the result 1:1 as awards.json and the feed writes it as awards events.
//
// Terms: a row's *position* is its scoreboard rank (ties share it); *primary* is num_solved
// (pass-fail) or score (score contests); N = gold + silver + bronze + extra_bronze (12 + B).
//   1. Teams whose primary is 0 have not scored: they are never ranked (so an honorable
//      mention, as at the World Finals), and win nothing (CLICS: "Empty if no team has scored").
//   2. Rank (CCS 7.1): a team that scored, in position <= N, is ranked at its position.
//   3. Median (CCS 7.2): the median team is the one at index (n - 1) / 2 of all n rows in
//      position order (for even n the upper of the two middle teams, which gives the same
//      answer as the mean of their two counts: no row lies between them). The other teams
//      with a smaller primary than it are not ranked.
//   4. Rank (CCS 7.3) of the remaining teams: by primary only, after the M teams of rule 2:
//      rank = M + 1 + the number of remaining ranked teams with a larger primary (ties share).
//   5. Medals (CCS 8.1-8.3) by rank: gold 1..gold, silver ..gold+silver, bronze ..N. Teams
//      tied at a boundary share its rank and so its medal (and push the next ranks down).
//   6. rank-<n>: every ranked team, by its rank from rules 2 and 4 (medallists too);
//      honorable-mention: every team not ranked (CCS 8.5).
//   7. winner: the teams in position 1 that scored. group-winner-<g>: per group with a team on
//      the board, its teams that scored in the best position among the group's teams.
//   8. first-to-solve-<p>: the team(s) of the earliest accepted submission (exact time, ms; the
//      same ms shares) among the submissions the scoreboard counts for this view, set only
//      when no submission of p made at or before it is pending (unjudged, JE, or hidden by the
//      freeze in the public view): otherwise empty. It is computed from the current judgements,
//      so once set only a changed judgement (rejudge, override) of a submission no later than
//      it can change it: later submissions are later.
// Every award is listed (empty team_ids while nobody holds it) except rank-<n> for ranks no
// team holds; first-to-solve only for the problems the board shows (none before the start in
// the public view: problem ids are secret until then).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/scoreboard.h"

namespace core {

struct Award {
  std::string id, citation;
  std::vector<std::string> team_ids;  // Sorted.
  bool operator==(const Award&) const = default;
};

// `board` must be compute_scoreboard(contest, problems, teams, submissions, view, now_ms).
// Awards in a stable order: winner, medals, rank-<n> ascending, honorable-mention,
// first-to-solve per problem, group-winner per group (groups' order).
std::vector<Award> compute_awards(const Contest& contest, const Scoreboard& board,
                                  const std::vector<Problem>& problems,
                                  const std::vector<Team>& teams, const std::vector<Group>& groups,
                                  const std::vector<ScoreboardSubmission>& submissions,
                                  ScoreboardView view, int64_t now_ms);

}  // namespace core
