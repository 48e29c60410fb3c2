#include "event_feed.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/store.h"
#include "handler_util.h"

namespace api {

Visibility event_visibility(const Caller& caller, const core::Event& event,
                            bool contest_started) {
  if (caller.is_jury()) return Visibility::Show;
  // Submissions, judgements and runs carry their team: only that team sees them.
  if (event.team_id) {
    return caller.is_team() && caller.team_id == event.team_id ? Visibility::Show
                                                               : Visibility::Hide;
  }
  if (event.type == "accounts") return Visibility::Hide;
  if (event.type == "problems" && !contest_started) return Visibility::Wait;
  return Visibility::Show;
}

std::string feed_line(const core::Event& event) {
  nlohmann::json head = {{"type", event.type},
                         {"id", event.object_id ? nlohmann::json(*event.object_id) : nullptr}};
  std::string line = head.dump();
  line.pop_back();  // Splice the stored JSON text in without parsing it again.
  line += ",\"data\":" + event.data + ",\"token\":\"" + std::to_string(event.id) + "\"}\n";
  return line;
}

std::optional<int64_t> parse_token(const std::string& token) {
  int64_t id = 0;
  const char* end = token.data() + token.size();
  if (token.empty() || token.size() > 18 || token.front() == '-' || token.front() == '+')
    return std::nullopt;
  auto [ptr, ec] = std::from_chars(token.data(), end, id);
  if (ec != std::errc() || ptr != end || id <= 0) return std::nullopt;
  return id;
}

Reply open_event_feed(Services& services, const Request& request) {
  auto contest = readable_contest(services, request, ContestData::Public);
  if (!contest.ok()) return Reply::error(contest.error());
  FeedStart start{contest.value().id, request.caller, 0, true, request.client_address};
  if (auto stream = request.query_param("stream")) {
    if (*stream != "true" && *stream != "false")
      return Reply::error(400, "stream: expected true or false");
    start.stream = *stream == "true";
  }
  if (auto token = request.query_param("since_token")) {
    auto id = parse_token(*token);
    if (!id || !services.store().event_exists(start.contest_id, *id)) {
      return Reply::error(400, "since_token: unknown token for contest " + start.contest_id);
    }
    start.after_id = *id;
  }
  Reply reply;
  reply.feed = std::make_shared<FeedStart>(std::move(start));
  return reply;
}

}  // namespace api
