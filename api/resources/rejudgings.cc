// Rejudging (jury): judged submissions go back to queued and onto the contest's rejudge list,
// which workers serve only after every live list; each new judgement replaces the current one
// through the same record_judgement path as every verdict.
#include <spdlog/spdlog.h>

#include "core/contest_reads.h"
#include "core/judging_store.h"
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "parse/validate.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {

Reply create_rejudging(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto body = parse_rejudging(request.body);
  if (!body.ok()) return Reply::error(body.error());
  core::Store& store = services.store();
  const auto& problem = body.value().problem_id;
  if (problem && !core::ContestReads(store).problem(contest.id, *problem)) {
    return Reply::error(422, "problem_id: unknown problem '" + *problem + "'");
  }
  auto queued = core::JudgingStore(store).rejudge(contest.id, body.value().submission_ids, problem);
  if (queued.empty()) {
    return Reply::error(
        422, "nothing to rejudge: no judged submission of contest " + contest.id + " matches");
  }
  // As for new submissions: the rows are committed; a failed push is re-pushed by the sweeper.
  try {
    for (const auto& ref : queued) services.queue().push({ref.submission_id, ref.contest_id, true});
  } catch (const core::QueueError& e) {
    spdlog::error("rejudge push failed contest_id={} error={}", contest.id, log_quote(e.what()));
    services.metrics().inc(kQueuePushFailuresMetric);
    services.drop_queue();
  }
  json ids = json::array();
  for (const auto& ref : queued) ids.push_back(std::to_string(ref.submission_id));
  spdlog::info("rejudging contest_id={} submissions={} by={}", contest.id, queued.size(),
               log_quote(request.caller.username));
  return Reply::json(202, {{"submission_ids", ids}});
}

}  // namespace api
