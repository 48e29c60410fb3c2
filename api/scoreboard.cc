// Standings and contest state: GET scoreboard and state, and the jury's thaw (PATCH contest).
// The rules live in core/scoreboard.h; this file only picks the view and serializes.
#include "core/scoreboard.h"

#include <spdlog/spdlog.h>

#include "core/store.h"
#include "core/timefmt.h"
#include "handler_util.h"
#include "serialize.h"

namespace api {

Reply get_scoreboard(Services& services, const Request& request) {
  auto contest = readable_contest(services, request, ContestData::Public);
  if (!contest.ok()) return Reply::error(contest.error());
  const core::Contest& c = contest.value();
  // Teams and anonymous callers see the frozen board; the jury always sees the truth.
  auto view = request.caller.is_jury() ? core::ScoreboardView::Jury : core::ScoreboardView::Public;
  core::Store& store = services.store();
  auto board = core::compute_scoreboard(c, store.problems(c.id), store.teams(c.id),
                                        store.scoreboard_submissions(c.id), view, request.now_ms);
  return Reply::json(
      200, scoreboard_json(board, c, core::contest_state(c, request.now_ms), request.now_ms));
}

Reply get_state(Services& services, const Request& request) {
  auto contest = readable_contest(services, request, ContestData::Public);
  if (!contest.ok()) return Reply::error(contest.error());
  return Reply::json(200, state_json(core::contest_state(contest.value(), request.now_ms)));
}

Reply patch_contest(Services& services, const Request& request) {
  if (auto denied = check_authenticated(request.caller)) return Reply::error(*denied);
  if (!request.caller.is_jury()) return Reply::error(403, "only the jury may change a contest");
  auto contest = find_contest(services, request);
  if (!contest.ok()) return Reply::error(contest.error());
  auto requested = parse_thaw_request(request.body, contest.value().id);
  if (!requested.ok()) return Reply::error(requested.error());
  auto thaw = thaw_time(contest.value(), requested.value(), request.now_ms);
  if (!thaw.ok()) return Reply::error(thaw.error());
  if (!services.store().set_contest_thaw(contest.value().id, thaw.value())) {
    return Reply::error(404, "unknown contest '" + contest.value().id + "'");
  }
  spdlog::info("scoreboard thaw contest={} at={} by={}", contest.value().id,
               core::format_time(thaw.value()), log_quote(request.caller.username));
  auto updated = services.store().contest(contest.value().id);
  if (!updated) return Reply::error(404, "unknown contest '" + contest.value().id + "'");
  return Reply::json(200, contest_json(*updated));
}

}  // namespace api
