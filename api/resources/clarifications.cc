// Clarifications (CLICS 2023-06): a team asks (team_clar), the jury asks for a team (proxy_clar)
// or answers one team, all teams, or announces (admin_clar, POST, or PUT with an id of its
// choosing). Each is committed with its event; the jury sees all, a team its own questions, the
// answers to it and the messages to all, anyone else (once the contest started) the messages to
// all. Teams ask only while the contest runs, rate limited per team through Redis.
#include <spdlog/spdlog.h>

#include "core/clarification_store.h"
#include "core/clics.h"
#include "core/store.h"
#include "parse/clarification_body.h"
#include "resources/handler_util.h"
#include "resources/rate_limit.h"
#include "resources/serialize.h"

namespace api {
namespace {

core::ClarificationViewer viewer_of(const Caller& caller) {
  core::ClarificationViewer viewer;
  viewer.everything = caller.is_jury();
  if (caller.is_team()) viewer.team_id = caller.team_id;
  return viewer;
}

// The clarification a request asks for, from who sends it: a team asks for itself only.
Result<core::Clarification> from_request(const Request& request, ClarificationRequest&& body) {
  core::Clarification c;
  c.contest_id = request.contest->id;
  c.id = body.id.value_or("");
  c.from_team_id = std::move(body.from_team_id);
  c.to_team_id = std::move(body.to_team_id);
  c.reply_to_id = std::move(body.reply_to_id);
  c.problem_id = std::move(body.problem_id);
  c.text = std::move(body.text);
  c.time_ms = body.time_ms.value_or(request.now_ms);
  c.created_by = request.caller.username;
  if (request.caller.is_team()) {
    if (c.from_team_id && c.from_team_id != request.caller.team_id) {
      return HttpError{403, "from_team_id: a team may only ask for itself"};
    }
    c.from_team_id = request.caller.team_id;
  }
  return c;
}

// Questions are taken while the contest runs, whoever types them in: a question after the end
// could only hold up finalizing. The jury's own messages may come any time (CLICS: "Do not touch
// anything before the contest starts!").
std::optional<HttpError> check_window(const Request& request, const core::Clarification& c) {
  if (!c.from_team_id) return std::nullopt;
  if (request.caller.is_team()) {
    return check_submission_window(request.caller, *request.contest, request.now_ms);
  }
  if (contest_phase(*request.contest, request.now_ms) != ContestPhase::Running) {
    return HttpError{409, "from_team_id: questions are only taken while the contest runs"};
  }
  return std::nullopt;
}

// Every reference must exist in the contest and be visible to the sender (CLICS), in one
// statement; 422 naming the property (a team not registered: 403, as for submissions).
std::optional<HttpError> check_references(Services& services, const Request& request,
                                          const core::Clarification& c) {
  const std::string& cid = request.contest->id;
  auto refs = services.clarifications().refs(cid, c, viewer_of(request.caller));
  if (!refs.problem_exists)
    return HttpError{422, "problem_id: unknown problem '" + *c.problem_id + "'"};
  if (!refs.from_team_registered) {
    if (request.caller.is_team())
      return HttpError{403, "your team is not registered in this contest"};
    return HttpError{422, "from_team_id: team '" + *c.from_team_id + "' is not in contest " + cid};
  }
  if (!refs.to_team_registered) {
    return HttpError{422, "to_team_id: team '" + *c.to_team_id + "' is not in contest " + cid};
  }
  if (!refs.reply_to_visible) {
    return HttpError{422, "reply_to_id: unknown clarification '" + *c.reply_to_id + "'"};
  }
  if (refs.id_taken) return HttpError{409, "id: clarification '" + c.id + "' already exists"};
  return std::nullopt;
}

Reply write_clarification(Services& services, const Request& request,
                          const std::optional<std::string>& put_id) {
  const auto sender =
      request.caller.is_jury() ? ClarificationSender::Jury : ClarificationSender::Team;
  auto body = parse_clarification_body(request.body, sender, put_id);
  if (!body.ok()) return Reply::error(body.error());
  auto c = from_request(request, std::move(body.value()));
  if (!c.ok()) return Reply::error(c.error());
  core::Clarification& clar = c.value();
  if (auto closed = check_window(request, clar)) return Reply::error(*closed);
  if (auto bad = check_references(services, request, clar)) return Reply::error(*bad);
  // Last check, so that only questions that would be stored use up the team's allowance.
  const ApiConfig& config = services.config();
  if (clar.from_team_id) {
    if (auto limited =
            check_team_rate_limit(services, request.caller, clar.contest_id, *clar.from_team_id,
                                  {"clarifications", config.clar_rate_limit,
                                   config.clar_rate_window_seconds, kClarRateLimitedMetric})) {
      return *limited;
    }
  }
  if (services.clarifications().create(clar) == core::ClarificationInsert::IdTaken) {
    return Reply::error(409, "id: clarification '" + clar.id + "' already exists");
  }
  spdlog::info("clarification created contest_id={} id={} from_team_id={} to_team_id={} by={}",
               clar.contest_id, clar.id, clar.from_team_id.value_or("-"),
               clar.to_team_id.value_or("-"), log_quote(request.caller.username));
  Reply reply = Reply::json(201, core::clarification_json(clar, *request.contest));
  reply.location = "/api/" + core::clarification_path(clar.contest_id, clar.id);
  return reply;
}

// Problems are secret until the start: before it, a team does not see a message of the jury's
// that names one (it would tell the problem's id); the jury sees everything.
bool problem_hidden(const Request& request, const core::Clarification& c) {
  return c.problem_id && !request.caller.is_jury() &&
         !contest_started(*request.contest, request.now_ms);
}

// CLICS filtering on the ID properties: ?to_team_id=X, and an empty value for null.
bool matches_filters(const Request& request, const core::Clarification& c) {
  const std::pair<const char*, const std::optional<std::string>*> kFilters[] = {
      {"from_team_id", &c.from_team_id},
      {"to_team_id", &c.to_team_id},
      {"reply_to_id", &c.reply_to_id},
      {"problem_id", &c.problem_id}};
  for (const auto& [name, value] : kFilters) {
    auto wanted = request.query_param(name);
    if (!wanted) continue;
    if (wanted->empty() ? value->has_value() : *value != *wanted) return false;
  }
  return true;
}

}  // namespace

Reply list_clarifications(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c :
       services.clarifications().clarifications(contest.id, viewer_of(request.caller))) {
    if (!problem_hidden(request, c) && matches_filters(request, c))
      out.push_back(core::clarification_json(c, contest));
  }
  return Reply::json(200, out);
}

// One the caller may not see is a 404 like an id that never existed.
Reply get_clarification(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  const std::string& id = request.param("id");
  auto c = services.clarifications().clarification(contest.id, id, viewer_of(request.caller));
  if (!c || problem_hidden(request, *c)) {
    return Reply::error(404, "unknown clarification '" + id + "'");
  }
  return Reply::json(200, core::clarification_json(*c, contest));
}

Reply create_clarification(Services& services, const Request& request) {
  return write_clarification(services, request, std::nullopt);
}

Reply put_clarification(Services& services, const Request& request) {
  return write_clarification(services, request, request.param("id"));
}

}  // namespace api
