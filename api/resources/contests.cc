// Read side of the contest setup: API information, contests, problems, languages, judgement
// types and teams (CLICS 2023-06 shapes from serialize.h).
#include <algorithm>

#include "core/contest_reads.h"
#include "core/store.h"
#include "resources/handler_util.h"
#include "resources/serialize.h"

namespace api {
namespace {

Reply not_found(const char* what, const std::string& id) {
  return Reply::error(404, std::string("unknown ") + what + " '" + id + "'");
}

// Languages a contest offers: the enabled rows of the language table.
std::vector<core::Language> enabled_languages(core::Store& store) {
  auto languages = core::ContestReads(store).languages();
  std::erase_if(languages, [](const core::Language& l) { return !l.enabled; });
  return languages;
}

}  // namespace

Reply api_info(Services&, const Request& request) {
  return view_reply(200, request, "api", api_information());
}

Reply list_contests(Services& services, const Request& request) {
  return view_array_reply(request, "contest", services.reads().contests(), contest_json);
}

Reply get_contest(Services&, const Request& request) {
  const core::Contest& contest = *request.contest;
  return view_reply(200, request, "contest", contest_json(contest));
}

Reply list_problems(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  return view_array_reply(request, "problems", services.reads().problems(contest.id), problem_json);
}

Reply get_problem(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto problem = services.reads().problem(contest.id, request.param("id"));
  if (!problem) return not_found("problem", request.param("id"));
  return view_reply(200, request, "problems", problem_json(*problem));
}

Reply list_languages(Services& services, const Request& request) {
  return view_array_reply(request, "languages", enabled_languages(services.store()), language_json);
}

Reply get_language(Services& services, const Request& request) {
  auto languages = enabled_languages(services.store());
  auto it = std::find_if(languages.begin(), languages.end(),
                         [&](const core::Language& l) { return l.id == request.param("id"); });
  if (it == languages.end()) return not_found("language", request.param("id"));
  return view_reply(200, request, "languages", language_json(*it));
}

Reply list_judgement_types(Services&, const Request& request) {
  return view_array_reply(request, "judgement-types", judgement_types(), judgement_type_json);
}

Reply get_judgement_type(Services&, const Request& request) {
  const JudgementType* type = find_judgement_type(request.param("id"));
  if (type == nullptr) return not_found("judgement type", request.param("id"));
  return view_reply(200, request, "judgement-types", judgement_type_json(*type));
}

Reply list_teams(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  return view_array_reply(request, "teams", services.reads().teams(contest.id), team_json);
}

Reply get_team(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  auto team = services.reads().team(contest.id, request.param("id"));
  if (!team) return not_found("team", request.param("id"));
  return view_reply(200, request, "teams", team_json(*team));
}

}  // namespace api
