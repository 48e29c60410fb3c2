// GET .../problems/{pid}/jury-submissions (jury, admin): the package's own submissions with the
// verdict their folder expects and the one they got, so the jury sees what disagrees.
#include <nlohmann/json.hpp>

#include "core/contest_reads.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "http/handlers.h"
#include "resources/handler_util.h"
#include "services/access.h"

namespace api {
namespace {

nlohmann::json jury_submission_json(const core::JurySubmissionResult& js) {
  nlohmann::json out = {
      {"submission_id", std::to_string(js.submission_id)},
      {"file", js.path},
      {"language_id", js.language_id},
      {"expected", to_string(js.expected_verdict)},
      {"actual", js.verdict ? nlohmann::json(to_string(*js.verdict)) : nlohmann::json()},
      {"match", js.verdict == js.expected_verdict}};
  if (js.score) out["score"] = *js.score;
  return out;
}

}  // namespace

Reply list_jury_submissions(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  core::Store& store = services.store();
  const std::string& problem_id = request.param("pid");
  if (!core::ContestReads(store).problem(contest.id, problem_id))
    return Reply::error(404, "unknown problem '" + problem_id + "'");
  auto results = core::SubmissionStore(store).jury_submissions(contest.id, problem_id);
  int pending = 0, mismatches = 0;
  for (const auto& js : results) {
    if (!js.verdict)
      ++pending;
    else if (*js.verdict != js.expected_verdict)
      ++mismatches;
  }
  return Reply::json(200, {{"problem_id", problem_id},
                           {"total", results.size()},
                           {"pending", pending},
                           {"mismatches", mismatches},
                           {"submissions", json_array(results, jury_submission_json)}});
}

}  // namespace api
