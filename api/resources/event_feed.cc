#include "resources/event_feed.h"

#include <nlohmann/json.hpp>

#include "core/event_log.h"
#include "resources/handler_util.h"

namespace api {
namespace {

bool is_admin(const Caller& caller) {
  return caller.authenticated && caller.role == core::Role::Admin;
}

}  // namespace

Visibility event_visibility(const Caller& caller, const core::Event& event,
                            bool contest_started) {
  // Accounts are the admin's, as GET .../accounts is.
  if (event.type == "accounts") return is_admin(caller) ? Visibility::Show : Visibility::Hide;
  if (caller.is_jury()) return Visibility::Show;
  // Submissions, judgements, runs and clarifications between one team and the jury carry
  // their team: only that team sees them.
  if (event.team_id) {
    if (!caller.is_team() || caller.team_id != event.team_id) return Visibility::Hide;
    return event.team_deletes ? Visibility::Delete : Visibility::Show;
  }
  if (event.type == "problems" && !contest_started) return Visibility::Wait;
  return Visibility::Show;
}

core::EventReader event_reader(const Caller& caller, bool contest_started) {
  core::EventReader reader;
  reader.everything = caller.is_jury();
  if (caller.is_team()) reader.team_id = caller.team_id;
  reader.problems_shown = caller.is_jury() || contest_started;
  reader.accounts = is_admin(caller);
  return reader;
}

std::string feed_line(const core::Event& event, std::string_view token, Visibility as,
                      const Viewer& viewer) {
  nlohmann::json head = {{"type", event.type},
                         {"id", event.object_id ? nlohmann::json(*event.object_id) : nullptr}};
  std::string line = head.dump();
  line.pop_back();  // The data and token follow.
  line += ",\"data\":";
  if (as == Visibility::Delete) {
    line += "null";
  } else {
    // The stored object is the full one (Postgres jsonb: its own key order and spacing): it is
    // served through the same view and printing as GET's.
    auto data = nlohmann::json::parse(event.data, nullptr, /*allow_exceptions=*/false);
    view_object(event.type, data, viewer);
    line += data.is_discarded() ? "null" : json_text(data);
  }
  line += ",\"token\":\"";
  line += token;  // Hex digits only: nothing to escape.
  line += "\"}\n";
  return line;
}

Reply open_event_feed(Services& services, const Request& request) {
  const core::Contest& contest = *request.contest;
  FeedStart start{contest.id, request.caller, 0, true, request.client_address, request.strictness};
  if (auto stream = request.query_param("stream")) {
    if (*stream != "true" && *stream != "false")
      return Reply::error(400, "stream: expected true or false");
    start.stream = *stream == "true";
  }
  if (auto token = request.query_param("since_token")) {
    // A token of an event this caller may not see is refused exactly like one that names no
    // event: the answer must not tell the two apart.
    const bool started = contest_started(contest, request.now_ms);
    auto id = services.event_tokens().decode(*token);
    if (!id || !services.events().event_visible(start.contest_id, *id,
                                                event_reader(request.caller, started))) {
      return Reply::error(400, "since_token: unknown token for contest " + start.contest_id);
    }
    start.after_id = *id;
  }
  Reply reply;
  reply.feed = std::make_shared<FeedStart>(std::move(start));
  return reply;
}

}  // namespace api
