// GET awards and awards/{id} (CLICS Awards): computed on every request from the scoreboard of
// the caller's view by core/awards.h, so they are always those of the scoreboard the same
// caller reads (the public sees the frozen board's awards, the jury the true ones).
#include "core/awards.h"

#include <algorithm>

#include "core/clics.h"
#include "core/contest_reads.h"
#include "core/store.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

std::vector<core::Award> awards_for(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  const auto view =
      request.caller.is_jury() ? core::ScoreboardView::Jury : core::ScoreboardView::Public;
  core::ContestReads reads(services.store());
  const auto submissions = reads.scoreboard_submissions(contest.id);
  const auto problems = reads.problems(contest.id);
  const auto teams = reads.teams(contest.id);
  const auto board =
      core::compute_scoreboard(contest, problems, teams, submissions, view, request.now_ms);
  return core::compute_awards(contest, board, problems, teams, reads.groups(), submissions, view,
                              request.now_ms);
}

}  // namespace

Reply list_awards(Services& services, const Request& request) {
  return Reply::json(200, json_array(awards_for(services, request), core::award_json));
}

Reply get_award(Services& services, const Request& request) {
  const auto awards = awards_for(services, request);
  const std::string& id = request.param("id");
  auto it = std::find_if(awards.begin(), awards.end(),
                         [&](const core::Award& award) { return award.id == id; });
  if (it == awards.end()) return Reply::error(404, "unknown award '" + id + "'");
  return Reply::json(200, core::award_json(*it));
}

}  // namespace api
