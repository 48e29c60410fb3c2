// Judgements and their runs: read (teams see their own, current ones) and the jury's manual
// override, which goes through the same core::JudgingStore::record_judgement as the workers.
// A team sees only the current judgement of each of its submissions and that judgement's runs,
// by every way in (lists, ids, filters; the event feed deletes a replaced one, event_feed.h): a
// replaced judgement is the jury's history, and to a team its id is like one that never was.
#include <spdlog/spdlog.h>

#include "core/judging_store.h"
#include "core/problem_data.h"
#include "core/submission_store.h"
#include "parse/validate.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

// The judgement with the numeric id in the path if the caller may see it (teams: own, current).
Result<core::Judgement> visible_judgement(Services& services, const Request& request,
                                          const core::Contest& contest) {
  const std::string& id_text = request.param("id");
  HttpError unknown{404, "unknown judgement '" + id_text + "'"};
  auto id = parse_numeric_id(id_text);
  auto judgement = id ? services.submissions().judgement(*id) : std::nullopt;
  if (!judgement || judgement->contest_id != contest.id) return unknown;
  if (auto filter = team_filter(request.caller)) {
    if (!judgement->is_current) return unknown;
    auto submission = services.submissions().submission(judgement->submission_id);
    if (!submission || submission->team_id != *filter) return unknown;
  }
  return std::move(*judgement);
}

// The run with the numeric id in the path if the caller may see it (teams: own, of the current
// judgement).
Result<core::RunInfo> visible_run(Services& services, const Request& request,
                                  const core::Contest& contest) {
  const std::string& id_text = request.param("id");
  auto id = parse_numeric_id(id_text);
  auto run = id ? services.submissions().run(*id) : std::nullopt;
  auto filter = team_filter(request.caller);
  if (!run || run->contest_id != contest.id ||
      (filter && (run->team_id != *filter || !run->judgement_current))) {
    return HttpError{404, "unknown run '" + id_text + "'"};
  }
  return std::move(*run);
}

// The jury's verdict replaces the old one: same submission and runs, recorded now by them.
core::Judgement manual_judgement(const core::Judgement& existing, domain::Verdict verdict,
                                 const std::string& jury, int64_t now_ms) {
  core::Judgement judgement = existing;
  judgement.id = 0;
  judgement.verdict = verdict;
  judgement.is_manual = true;
  judgement.is_current = true;
  judgement.judged_by = jury;
  // The override is a new judgement made now; the runs (and their max time) are the old ones.
  judgement.start_ms = now_ms;
  judgement.end_ms = now_ms;
  return judgement;
}

// Scored problems: an override to AC earns every group's points, an AC overridden to a rejection
// earns nothing, and between rejections the judged score stays (the tests that passed did).
void rescore_manual(core::Judgement& judgement, const core::Judgement& existing,
                    const std::vector<core::TestGroup>& groups) {
  if (groups.empty()) return;
  double full = 0;
  for (const auto& group : groups) full += group.points;
  if (judgement.verdict == domain::Verdict::AC)
    judgement.score = full;
  else if (existing.verdict == domain::Verdict::AC || !existing.score)
    judgement.score = 0;
}

// A list's optional filter by a numeric id in the query (?submission_id=17): empty when absent,
// a 400 naming the parameter when it is not an id.
Result<std::optional<int64_t>> id_filter(const Request& request, const std::string& name) {
  auto text = request.query_param(name);
  if (!text) return std::optional<int64_t>();
  auto id = parse_numeric_id(*text);
  if (!id) return HttpError{400, name + ": not a " + name.substr(0, name.size() - 3) + " id"};
  return id;
}

}  // namespace

Reply list_judgements(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto submission_filter = id_filter(request, "submission_id");
  if (!submission_filter.ok()) return Reply::error(submission_filter.error());
  auto judgements = services.submissions().judgements(contest.id, submission_filter.value(),
                                                      team_filter(request.caller));
  if (!request.caller.is_jury()) {
    // Teams see the verdict that counts, not the history of rejudges and overrides.
    std::erase_if(judgements, [](const core::Judgement& j) { return !j.is_current; });
  }
  return view_array_reply(request, "judgements", judgements,
                          [&](const core::Judgement& j) { return judgement_json(j, contest); });
}

Reply get_judgement(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto judgement = visible_judgement(services, request, contest);
  if (!judgement.ok()) return Reply::error(judgement.error());
  return view_reply(200, request, "judgements", judgement_json(judgement.value(), contest));
}

Reply put_judgement(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto verdict = parse_judgement_update(request.body);
  if (!verdict.ok()) return Reply::error(verdict.error());
  auto existing = visible_judgement(services, request, contest);
  if (!existing.ok()) return Reply::error(existing.error());
  core::Judgement judgement =
      manual_judgement(existing.value(), verdict.value(), request.caller.username, request.now_ms);
  if (auto submission = services.submissions().submission(judgement.submission_id)) {
    rescore_manual(judgement, existing.value(),
                   services.problem_data().problem_groups(contest.id, submission->problem_id));
  }
  auto result = services.judging().record_judgement(
      judgement, core::Fence{core::Fence::Kind::Manual, /*attempt=*/0});
  switch (result.status) {
    case core::RecordStatus::NoSuchSubmission:
      return Reply::error(404, "unknown submission " + std::to_string(judgement.submission_id));
    case core::RecordStatus::LeaseLost:  // Not expected for a manual fence; report, don't guess.
      return Reply::error(409, "the submission changed meanwhile, try again");
    case core::RecordStatus::Recorded:
      break;
  }
  spdlog::info("manual verdict judgement_id={} submission_id={} verdict={} by={}",
               result.judgement_id, judgement.submission_id, to_string(*judgement.verdict),
               log_quote(request.caller.username));
  judgement.id = result.judgement_id;
  if (auto stored = services.submissions().judgement(result.judgement_id)) judgement = *stored;
  return view_reply(200, request, "judgements", judgement_json(judgement, contest));
}

Reply list_runs(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto judgement_filter = id_filter(request, "judgement_id");
  if (!judgement_filter.ok()) return Reply::error(judgement_filter.error());
  auto runs = services.submissions().runs(contest.id, judgement_filter.value(),
                                          team_filter(request.caller));
  if (!request.caller.is_jury()) {
    // As for judgements: teams see the runs of the verdict that counts.
    std::erase_if(runs, [](const core::RunInfo& r) { return !r.judgement_current; });
  }
  return view_array_reply(request, "runs", runs,
                          [&](const core::RunInfo& r) { return run_json(r, contest); });
}

Reply get_run(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto run = visible_run(services, request, contest);
  if (!run.ok()) return Reply::error(run.error());
  return view_reply(200, request, "runs", run_json(run.value(), contest));
}

}  // namespace api
