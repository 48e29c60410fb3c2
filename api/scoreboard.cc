// Standings and contest state: GET scoreboard and state, and the jury's thaw (PATCH contest).
// The rules live in core/scoreboard.h; this file picks the view, takes the rows from the
// ScoreboardCache (scoreboard_cache.h: why it stays right across processes) and serializes.
#include "core/scoreboard.h"

#include <spdlog/spdlog.h>

#include "core/metrics.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "handler_util.h"
#include "serialize.h"

namespace api {
namespace {

const char* source_label(ScoreboardCache::Source source) {
  switch (source) {
    case ScoreboardCache::Source::Hit:
      return "result=\"hit\"";
    case ScoreboardCache::Source::Waited:
      return "result=\"wait\"";
    case ScoreboardCache::Source::Computed:
      break;
  }
  return "result=\"miss\"";
}

// The board of `view` at `now`, serialized, and how long it stays right as time passes.
ScoreboardRows compute_rows(core::Store& store, const core::Contest& contest,
                            core::ScoreboardView view, int64_t now_ms) {
  auto submissions = store.scoreboard_submissions(contest.id);
  auto board = core::compute_scoreboard(contest, store.problems(contest.id),
                                        store.teams(contest.id), submissions, view, now_ms);
  return {std::make_shared<const std::string>(scoreboard_rows_text(board)),
          core::scoreboard_unchanged_until(contest, submissions, now_ms)};
}

}  // namespace

Reply get_scoreboard(Services& services, const Request& request) {
  auto contest = readable_contest(services, request, ContestData::Public);
  if (!contest.ok()) return Reply::error(contest.error());
  const core::Contest& c = contest.value();
  const int64_t now = request.now_ms;
  // Teams and anonymous callers see the frozen board; the jury always sees the truth.
  auto view = request.caller.is_jury() ? core::ScoreboardView::Jury : core::ScoreboardView::Public;
  core::Store& store = services.store();
  // The counter is read before the data, so a cached board is never older than its key.
  auto key =
      scoreboard_key(c, store.contest_changes(c.id), core::scoreboard_hidden_from(c, view, now));
  auto rows =
      services.scoreboard_cache().rows(key, now, [&] { return compute_rows(store, c, view, now); });
  services.metrics().inc(kScoreboardCacheMetric, source_label(rows.source));
  return Reply{200, scoreboard_text(*rows.text, c, core::contest_state(c, now), now), "",
               Reply::Type::Json};
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
