#include "resources/problem_import.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "core/contest_reads.h"
#include "core/queue.h"
#include "core/setup_store.h"
#include "core/submission_store.h"
#include "package/problem_package.h"
#include "parse/validate.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

Result<package::ImportOptions> import_options(const Request& request, const std::string& top) {
  package::ImportOptions options;
  options.id = request.query_param("id").value_or(top);
  if (options.id.empty()) {
    return HttpError{422, "id: give ?id= or zip the package inside a folder named after it"};
  }
  if (!is_valid_id(options.id))
    return HttpError{422, "id: '" + options.id + "' is not an identifier"};
  options.label = request.query_param("label").value_or(options.id);
  if (auto jury = request.query_param("jury_submissions")) {
    if (*jury != "true" && *jury != "false")
      return HttpError{422, "jury_submissions: '" + *jury + "' must be true or false"};
    options.jury_submissions = *jury == "true";
  }
  if (options.label.empty()) return HttpError{422, "label: empty"};
  if (auto ordinal = request.query_param("ordinal")) {
    auto [end, error] =
        std::from_chars(ordinal->data(), ordinal->data() + ordinal->size(), options.ordinal);
    if (error != std::errc{} || end != ordinal->data() + ordinal->size()) {
      return HttpError{422, "ordinal: '" + *ordinal + "' is not an integer"};
    }
  }
  return options;
}

// Jury submissions are committed as queued: push them like team submissions (a failed push is
// repaired by the workers' sweeper).
void enqueue_jury_submissions(Services& services, const core::Problem& p) {
  for (const auto& js : services.submissions().jury_submissions(p.contest_id, p.id)) {
    try {
      services.queue().push(core::QueueItem{js.submission_id, p.contest_id});
    } catch (const std::exception& e) {
      spdlog::error("queue push failed submission_id={} contest_id={} error={}", js.submission_id,
                    p.contest_id, log_quote(e.what()));
      services.drop_queue();
      return;
    }
  }
}

}  // namespace

Reply import_problem_package(Services& services, const Request& request,
                             const core::Contest& contest) {
  core::NewProblem problem;
  std::vector<std::string> warnings;
  bool with_jury = false;
  try {
    package::FileMap files = package::read_zip(request.body);
    std::string top = package::strip_top_folder(files);
    auto options = import_options(request, top);
    if (!options.ok()) return Reply::error(options.error());
    with_jury = options.value().jury_submissions;
    if (with_jury) options.value().languages = services.reads().languages();
    problem = package::parse_package(files, options.value(), &warnings);
  } catch (const package::PackageError& e) {
    return Reply::error(e.status(), e.what());
  }
  core::Problem& p = problem.problem;
  p.contest_id = contest.id;
  if (!services.setup().insert_problem(problem)) {
    return Reply::error(409, "id: problem '" + p.id + "' already exists");
  }
  spdlog::info("problem imported contest_id={} problem_id={} tests={} groups={} jury={} by={}",
               p.contest_id, p.id, p.test_count, problem.groups.size(),
               problem.jury_submissions.size(), log_quote(request.caller.username));
  json body = problem_json(p);
  if (with_jury) {
    enqueue_jury_submissions(services, p);
    // Ours, beside the CLICS problem: what became a jury submission and what was skipped.
    body["jury_submissions"] = problem.jury_submissions.size();
    body["warnings"] = warnings;
  }
  Reply reply = Reply::json(201, body);
  reply.location = "/api/contests/" + p.contest_id + "/problems/" + p.id;
  return reply;
}

}  // namespace api
