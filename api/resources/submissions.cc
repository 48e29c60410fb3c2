// Submissions: a team (or the jury for a team) submits source, as text or as a zip; the row is
// committed first and then announced on the contest's Redis queue. Handlers never wait for
// judging. Teams are rate limited per contest through Redis, so the limit holds across every
// API process.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/contest_reads.h"
#include "core/entry_point.h"
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "parse/source_zip.h"
#include "parse/validate.h"
#include "resources/handler_util.h"
#include "resources/rate_limit.h"
#include "resources/serialize.h"

namespace api {
namespace {

// An id as the store may be asked about it: one that cannot exist (invalid UTF-8 or a NUL would
// be a database error, i.e. a 503) becomes the empty id, which matches nothing.
const std::string& lookup_id(const std::string& id) {
  static const std::string kNone;
  return is_valid_id(id) ? id : kNone;
}

// Problem, language and team of a submission must exist in the contest (422 naming the field);
// a team that is not registered in the contest is refused (403). One round trip for all three.
Result<core::Language> check_references(core::Store& store, const core::Contest& contest,
                                        const SubmissionRequest& body, const std::string& team_id,
                                        const Caller& caller) {
  auto refs = core::SubmissionStore(store).submission_refs(
      contest.id, lookup_id(body.problem_id), lookup_id(team_id), lookup_id(body.language_id));
  if (!refs.problem_exists) {
    return HttpError{422, "problem_id: unknown problem '" + body.problem_id + "'"};
  }
  if (!refs.language) {
    return HttpError{422, "language_id: unknown language '" + body.language_id + "'"};
  }
  if (!refs.language->enabled) {
    return HttpError{422, "language_id: language '" + body.language_id + "' is disabled"};
  }
  if (!refs.team_registered) {
    if (!caller.is_jury()) return HttpError{403, "your team is not registered in this contest"};
    return HttpError{422, "team_id: team '" + team_id + "' is not in contest " + contest.id};
  }
  return std::move(*refs.language);
}

// What runs, decided now so that a team learns at once when it cannot be told (CLICS
// entry_point): 400 when it cannot be inferred, 422 when the one sent names nothing submitted.
Result<std::optional<std::string>> resolve_entry_point(const core::Language& language,
                                                       const SubmissionRequest& body) {
  std::vector<SourceFile> files = body.files;
  if (files.empty()) files.push_back({body.filename.value_or(language.source_file), body.source});
  core::EntryPoint entry = core::resolve_entry_point(language, files, body.entry_point);
  if (!entry.error.empty()) return HttpError{body.entry_point ? 422 : 400, entry.error};
  if (entry.value.empty()) return std::optional<std::string>();
  return std::optional<std::string>(entry.value);
}

// Announces a committed submission to the workers. A failure is logged and swallowed: the row
// is already committed as queued, and the worker-side sweeper re-pushes queued rows that no
// worker claimed for a while (DESIGN.md), so the submission is delayed, not lost.
void enqueue(Services& services, const core::Submission& submission) {
  try {
    services.queue().push(core::QueueItem{submission.id, submission.contest_id});
  } catch (const std::exception& e) {
    spdlog::error("queue push failed submission_id={} contest_id={} error={}", submission.id,
                  submission.contest_id, log_quote(e.what()));
    services.metrics().inc(kQueuePushFailuresMetric);
    services.drop_queue();
  }
}

// The name a submission's file is served under: the uploaded one, else the language's.
std::string served_filename(core::Store& store, const core::Submission& submission) {
  if (submission.filename) return *submission.filename;
  for (const auto& language : core::ContestReads(store).languages()) {
    if (language.id == submission.language_id) return language.source_file;
  }
  return "source";
}

// The submission with the numeric id in the path if the caller may see it (teams: own only).
Result<core::Submission> visible_submission(Services& services, const Request& request,
                                            const core::Contest& contest) {
  const std::string& id_text = request.param("id");
  auto id = parse_numeric_id(id_text);
  auto submission = id ? services.submissions().submission(*id) : std::nullopt;
  auto filter = team_filter(request.caller);
  if (!submission || submission->contest_id != contest.id ||
      (filter && submission->team_id != *filter)) {
    return HttpError{404, "unknown submission '" + id_text + "'"};
  }
  return std::move(*submission);
}

}  // namespace

Reply create_submission(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto body = parse_submission_body(request.body, services.config().max_source_bytes());
  if (!body.ok()) return Reply::error(body.error());
  auto team_id = submission_team(request.caller, body.value().team_id);
  if (!team_id.ok()) return Reply::error(team_id.error());
  if (auto closed = check_submission_window(request.caller, contest, request.now_ms)) {
    return Reply::error(*closed);
  }
  core::Store& store = services.store();
  auto language = check_references(store, contest, body.value(), team_id.value(), request.caller);
  if (!language.ok()) return Reply::error(language.error());
  auto entry_point = resolve_entry_point(language.value(), body.value());
  if (!entry_point.ok()) return Reply::error(entry_point.error());
  // Last check, so that only submissions that would be stored use up the team's allowance.
  const ApiConfig& config = services.config();
  if (auto limited =
          check_team_rate_limit(services, request.caller, contest.id, team_id.value(),
                                {"submissions", config.submit_rate_limit,
                                 config.submit_rate_window_seconds, kRateLimitedMetric})) {
    return *limited;
  }
  // Committed (with other requests' submissions, in one transaction) before the 202.
  core::Submission created = services.submission_batcher().submit(
      core::NewSubmission{contest.id, team_id.value(), body.value().problem_id,
                          body.value().language_id, std::move(body.value().source),
                          std::move(body.value().filename), std::move(body.value().files),
                          std::move(entry_point.value())},
      [&store](const std::vector<core::NewSubmission>& batch) {
        return core::SubmissionStore(store).create_submissions(batch);
      });
  services.metrics().inc(kSubmissionsMetric, "contest=\"" + created.contest_id + "\"");
  spdlog::info("submission created submission_id={} contest_id={} team_id={} by={}", created.id,
               created.contest_id, created.team_id, log_quote(request.caller.username));
  enqueue(services, created);
  Reply reply = view_reply(202, request, "submissions", submission_json(created, contest));
  reply.location = "/api/" + submission_path(created.contest_id, created.id);
  return reply;
}

Reply list_submissions(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto submissions = services.submissions().submissions(contest.id, team_filter(request.caller));
  return view_array_reply(request, "submissions", submissions,
                          [&](const core::Submission& s) { return submission_json(s, contest); });
}

Reply get_submission(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto submission = visible_submission(services, request, contest);
  if (!submission.ok()) return Reply::error(submission.error());
  return view_reply(200, request, "submissions", submission_json(submission.value(), contest));
}

// Another team's submission is a 404, as for GET submissions/{id}: its existence stays hidden.
Reply get_submission_files(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto submission = visible_submission(services, request, contest);
  if (!submission.ok()) return Reply::error(submission.error());
  const core::Submission& s = submission.value();
  Reply reply;
  reply.type = Reply::Type::Zip;
  if (s.files.empty()) {
    reply.body = zip_single_file({served_filename(services.store(), s), s.source});
  } else {
    reply.body = zip_files(s.files);
  }
  return reply;
}

}  // namespace api
