// Standings and contest state: GET scoreboard and state, and the jury's changes of a contest
// (PATCH: start time, thaw, finalize, settings). The rules live in core/scoreboard.h and
// access.h; this file picks the view, takes the rows from the ScoreboardCache
// (scoreboard_cache.h: why it stays right across processes), applies changes and serializes.
#include "core/scoreboard.h"

#include <spdlog/spdlog.h>

#include "core/clarification_store.h"
#include "core/contest_reads.h"
#include "core/event_log.h"
#include "core/metrics.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "http/body_encoding.h"
#include "parse/setup_validate.h"
#include "parse/validate.h"
#include "resources/event_feed.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

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

// The board of `view` at `now`, serialized (and gzip'd once for every response of it), and how
// long it stays right as time passes.
ScoreboardRows compute_rows(core::Store& store, const core::Contest& contest,
                            core::ScoreboardView view, int64_t now_ms) {
  core::ContestReads reads(store);
  auto submissions = reads.scoreboard_submissions(contest.id);
  auto board = core::compute_scoreboard(contest, reads.problems(contest.id),
                                        reads.teams(contest.id), submissions, view, now_ms);
  auto text = std::make_shared<const std::string>(scoreboard_rows_text(board));
  auto extras = std::make_shared<RowsExtras>();
  extras->gzip_tail = deflate_tail(scoreboard_tail(*text));
  extras->digest = core::sha256_hex(*text).substr(0, 32);
  return {std::move(text), core::scoreboard_unchanged_until(contest, submissions, now_ms),
          std::move(extras)};
}

// The board without our extensions (clics_view.h): they are in the cells of the rows.
nlohmann::json strict_scoreboard(nlohmann::json board) {
  const auto& ours = extension_keys("scoreboard-problem");
  for (auto& row : board["rows"]) {
    for (auto& cell : row["problems"]) {
      for (auto key : ours) cell.erase(std::string(key));
    }
  }
  return board;
}

// The body is the rows plus the state and the time of the request. The ETag names the rows and
// the state (weak: a 304 keeps the client's older "time"), and differs per content coding.
Reply board_reply(const ScoreboardCache::Result& rows, const core::Contest& contest,
                  int64_t now_ms, const Request& request) {
  const core::ContestState state = core::contest_state(contest, now_ms);
  Reply reply{200, "", "", Reply::Type::Json};
  reply.vary_encoding = true;
  const bool strict = request.strictness == Strictness::Strict;
  // The strict board is made from the cached text on every request, and not compressed: the
  // cache and its gzip'd tail hold the board with our extensions.
  const bool gzip = rows.extras && !strict && accepts_gzip(request.accept_encoding);
  if (rows.extras) {
    reply.etag = "W/\"" + rows.extras->digest + "-" +
                 core::sha256_hex(state_json(state).dump()).substr(0, 16) + (gzip ? "-gz" : "") +
                 (strict ? "-strict" : "") + "\"";
    if (etag_matches(request.if_none_match, reply.etag)) {
      reply.status = 304;
      return reply;
    }
  }
  if (gzip) {
    reply.body = gzip_with_prefix(scoreboard_head(contest, state, now_ms), rows.extras->gzip_tail);
    reply.gzip = true;
  } else if (strict) {
    reply.body = json_text(strict_scoreboard(
        nlohmann::json::parse(scoreboard_text(*rows.text, contest, state, now_ms))));
  } else {
    reply.body = scoreboard_text(*rows.text, contest, state, now_ms);
  }
  return reply;
}

}  // namespace

// One statement reads the contest and its change counter (the cache key): a cached board costs
// one round trip.
Reply get_scoreboard(Services& services, const Request& request) {
  core::Store& store = services.store();
  const std::string& cid = request.param("cid");
  auto found = core::ContestReads(store).contest_with_changes(cid);
  if (!found) return Reply::error(404, "unknown contest '" + cid + "'");
  const auto& [c, changes] = *found;
  const int64_t now = request.now_ms;
  if (auto denied = check_read(request.caller, c, ContestData::Public, now)) {
    return Reply::error(*denied);
  }
  // Teams and anonymous callers see the frozen board; the jury always sees the truth.
  auto view = request.caller.is_jury() ? core::ScoreboardView::Jury : core::ScoreboardView::Public;
  // The counter was read with the contest, before the data: a cached board is never older.
  auto key = scoreboard_key(c, changes, core::scoreboard_hidden_from(c, view, now));
  key.problems_shown = core::scoreboard_shows_problems(c, view, now);
  auto rows =
      services.scoreboard_cache().rows(key, now, [&] { return compute_rows(store, c, view, now); });
  services.metrics().inc(kScoreboardCacheMetric, source_label(rows.source));
  return board_reply(rows, c, now, request);
}

Reply get_state(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  // Read before the state: a client that follows the feed from this token misses no change
  // (a contest's event ids commit in order: writers hold its event lock through their commit).
  // The newest event this caller may see, not the newest of all: the header must tell nothing
  // of other teams' events, not even that some were written.
  const bool started = contest_started(contest, request.now_ms);
  auto last_event =
      services.events().last_visible_event_id(contest.id, event_reader(request.caller, started));
  Reply reply =
      view_reply(200, request, "state", state_json(core::contest_state(contest, request.now_ms)));
  if (last_event) reply.event_token = services.event_tokens().encode(*last_event);
  return reply;
}

namespace {

std::optional<HttpError> apply_thaw(core::Store& store, const core::Contest& contest,
                                    int64_t requested_ms, const Request& request) {
  auto thaw = thaw_time(contest, requested_ms, request.now_ms);
  if (!thaw.ok()) return thaw.error();
  if (!core::SetupStore(store).set_contest_thaw(contest.id, thaw.value())) {
    return HttpError{404, "unknown contest '" + contest.id + "'"};
  }
  spdlog::info("scoreboard thaw contest={} at={} by={}", contest.id,
               core::format_time(thaw.value()), log_quote(request.caller.username));
  return std::nullopt;
}

// What a guarded store change that did not happen means for the client.
std::optional<HttpError> update_error(core::ContestUpdate result, const core::Contest& contest) {
  switch (result) {
    case core::ContestUpdate::Updated:
      return std::nullopt;
    case core::ContestUpdate::UnknownContest:
      return HttpError{404, "unknown contest '" + contest.id + "'"};
    case core::ContestUpdate::Conflict:
      break;
  }
  return HttpError{409, "contest " + contest.id + " changed meanwhile, try again"};
}

std::optional<HttpError> apply_start(core::Store& store, const core::Contest& contest,
                                     const std::optional<int64_t>& start_ms,
                                     const Request& request) {
  if (auto refused = check_start_change(contest, start_ms, request.now_ms)) return refused;
  auto result = core::SetupStore(store).set_contest_start(contest.id, start_ms, request.now_ms);
  if (auto failed = update_error(result, contest)) return failed;
  spdlog::info("contest start contest={} at={} by={}", contest.id,
               start_ms ? core::format_time(*start_ms) : "unscheduled",
               log_quote(request.caller.username));
  return std::nullopt;
}

// Finalizing twice changes nothing: the first finalization time stays.
// CCS "Finalizing the Contest": not while the contest runs, a submission is unjudged or one is
// judged JE (pending until a rejudge); the refusal names the counts.
std::optional<HttpError> apply_finalize(core::Store& store, const core::Contest& contest,
                                        const ContestPatch& patch, const Request& request) {
  if (contest.finalized_ms) return std::nullopt;
  if (auto refused = check_finalize(contest, request.now_ms)) return refused;
  core::SubmissionStore submissions(store);
  const int64_t pending = submissions.unjudged_submissions(contest.id);
  const int64_t errors = submissions.judging_error_submissions(contest.id);
  if (pending > 0 || errors > 0) {
    std::string reasons;
    if (pending > 0) reasons = std::to_string(pending) + " submission(s) not judged yet";
    if (errors > 0) {
      reasons += (reasons.empty() ? "" : ", ") + std::to_string(errors) +
                 " submission(s) judged JE (rejudge them first)";
    }
    return HttpError{409, "cannot finalize: " + reasons};
  }
  if (int64_t waiting = core::ClarificationStore(store).unanswered_questions(contest.id);
      waiting > 0) {
    return HttpError{409, std::to_string(waiting) + " clarification request(s) not answered yet"};
  }
  auto result =
      core::SetupStore(store).set_contest_finalized(contest.id, request.now_ms, patch.extra_bronze);
  if (auto failed = update_error(result, contest)) return failed;
  spdlog::info("contest finalized contest={} extra_bronze={} by={}", contest.id,
               patch.extra_bronze.value_or(contest.extra_bronze),
               log_quote(request.caller.username));
  return std::nullopt;
}

// Settings may change while the contest runs (an extension, a penalty fix): the scoreboard is
// recomputed from the submissions. Not once results are final, and the scoring kind not once
// the contest started.
std::optional<HttpError> apply_settings(core::Store& store, const core::Contest& contest,
                                        const Request& request) {
  if (contest.finalized_ms) return HttpError{409, "contest " + contest.id + " is finalized"};
  auto updated = parse_contest_settings(request.body, contest);
  if (!updated.ok()) return updated.error();
  const bool started = contest.start_ms && *contest.start_ms <= request.now_ms;
  if (started && updated.value().scoreboard_type != contest.scoreboard_type) {
    return HttpError{409, "scoreboard_type: cannot change once the contest started"};
  }
  if (!core::SetupStore(store).update_contest_settings(updated.value())) {
    return HttpError{404, "unknown contest '" + contest.id + "'"};
  }
  spdlog::info("contest settings changed contest={} by={}", contest.id,
               log_quote(request.caller.username));
  return std::nullopt;
}

}  // namespace

Reply patch_contest(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto patch = parse_contest_patch(request.body, contest.id);
  if (!patch.ok()) return Reply::error(patch.error());
  core::Store& store = services.store();
  std::optional<HttpError> error;
  switch (patch.value().kind) {
    case ContestPatch::Kind::Thaw:
      error = apply_thaw(store, contest, *patch.value().time_ms, request);
      break;
    case ContestPatch::Kind::Start:
      error = apply_start(store, contest, patch.value().time_ms, request);
      break;
    case ContestPatch::Kind::Finalize:
      error = apply_finalize(store, contest, patch.value(), request);
      break;
    case ContestPatch::Kind::Settings:
      error = apply_settings(store, contest, request);
      break;
  }
  if (error) return Reply::error(*error);
  auto updated = core::ContestReads(store).contest(contest.id);
  if (!updated) return Reply::error(404, "unknown contest '" + contest.id + "'");
  return view_reply(200, request, "contest", contest_json(*updated));
}

}  // namespace api
