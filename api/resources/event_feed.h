// GET /api/contests/{cid}/event-feed: the CLICS NDJSON event feed. The handler checks the request
// and hands the connection to the FeedHub (feed_hub.h), which streams from the events outbox.
// The rules of what a caller sees are here, pure and unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event_log.h"
#include "resources/clics_view.h"
#include "services/access.h"

namespace api {

// What a feed needs once the request was accepted.
struct FeedStart {
  std::string contest_id;
  Caller caller;
  int64_t after_id = 0;  // Events with a larger id are sent (since_token, or 0 = everything).
  bool stream = true;    // false (?stream=false): send what exists, then end the response.
  std::string client_address;  // Anonymous feeds are counted per address.
  Strictness strictness = Strictness::Extended;  // ?strict=true: the spec's properties only.
};

// Show: send it. Hide: skip it for good. Wait: not yet (problems before the contest starts);
// a feed stops at such an event and resumes there once it may be shown, so order is kept.
// Delete: send it as a deletion (data null): the object is gone for this caller. A team sees
// only the current judgement of its submissions and its runs (as GET does), so the events that
// mark one replaced (core::Event::team_deletes) delete it and its runs from the team's view;
// the jury sees them as they are.
enum class Visibility { Show, Hide, Wait, Delete };
Visibility event_visibility(const Caller& caller, const core::Event& event, bool contest_started);

// The same rules for the store's queries (GET state's X-Event-Token, since_token), which must
// agree with event_visibility() on every event up to the first one that waits.
core::EventReader event_reader(const Caller& caller, bool contest_started);

// One NDJSON line (with its newline): {"type","id","data","token"}; data is the event's object
// as `viewer` sees it (clics_view.h: what GET serves this caller, printed the same way), or null
// when `as` is Visibility::Delete. `token` is the event's (event_token.h).
std::string feed_line(const core::Event& event, std::string_view token, Visibility as,
                      const Viewer& viewer);

}  // namespace api
