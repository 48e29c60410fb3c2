#include "problem_import.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "core/store.h"
#include "handler_util.h"
#include "package/problem_package.h"
#include "serialize.h"
#include "validate.h"

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

}  // namespace

Reply import_problem_package(Services& services, const Request& request,
                             const core::Contest& contest) {
  core::NewProblem problem;
  try {
    package::FileMap files = package::read_zip(request.body);
    std::string top = package::strip_top_folder(files);
    auto options = import_options(request, top);
    if (!options.ok()) return Reply::error(options.error());
    problem = package::parse_package(files, options.value());
  } catch (const package::PackageError& e) {
    return Reply::error(e.status(), e.what());
  }
  core::Problem& p = problem.problem;
  p.contest_id = contest.id;
  if (!services.store().insert_problem(problem)) {
    return Reply::error(409, "id: problem '" + p.id + "' already exists");
  }
  spdlog::info("problem imported contest_id={} problem_id={} tests={} by={}", p.contest_id, p.id,
               p.test_count, log_quote(request.caller.username));
  Reply reply = Reply::json(201, problem_json(p));
  reply.location = "/api/contests/" + p.contest_id + "/problems/" + p.id;
  return reply;
}

}  // namespace api
