// EventLog: the event feed's outbox, read side. Its rows are written by every writer in the
// transaction of the change they describe (core/src/event_emit.h); this reads them for
// GET .../event-feed and appends the contest state when the clock moves it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/store.h"

namespace core {

// One row of the event feed outbox. id is the feed token; data is the full CLICS object as JSON
// text (core/clics.h; each caller's feed shows its view of it). team_id: visible to that team
// (and the jury) only; team_deletes: to that team the event is the object's deletion.
struct Event {
  int64_t id = 0;
  std::string type;
  std::optional<std::string> object_id;
  std::string data;
  std::optional<std::string> team_id;
  bool team_deletes = false;
};

// Who reads the feed, for the queries that find the events a caller may see (the rules are
// api::event_visibility's): everything but accounts (jury), or the contest-wide events but
// accounts plus team_id's own; accounts only when `accounts` (admin, as GET accounts); problems
// only when problems_shown (the contest started), and before that no event from the contest's
// first problems event on (a feed waits there).
struct EventReader {
  bool everything = false;
  std::optional<std::string> team_id;
  bool problems_shown = false;
  bool accounts = false;
};

class EventLog {
 public:
  explicit EventLog(Store& store) : db_(store.impl()) {}

  // The contest's events after `after_id` in id (= commit) order, at most `limit`; only events
  // already on disk.
  std::vector<Event> events(const std::string& contest_id, int64_t after_id, int limit);
  int64_t last_event_id(const std::string& contest_id);  // 0 when the contest has none.
  // Whether event_id is an event of the contest that `reader` may see (EventReader).
  bool event_visible(const std::string& contest_id, int64_t event_id, const EventReader& reader);
  // The newest event of the contest that `reader` may see; empty when there is none.
  std::optional<int64_t> last_visible_event_id(const std::string& contest_id,
                                               const EventReader& reader);
  // Appends a state event when the contest's state at now_ms differs from its last one (the
  // clock moves the state: started, frozen, ended). True when one was written.
  bool record_state(const std::string& contest_id, int64_t now_ms);
  // Appends awards events (core/awards.h) for the awards that changed since the feed last said
  // them: the public view's as contest-wide events, the jury's as events of the hidden jury team
  // (jury only), written after the public ones so the jury's feed ends on the true awards; an
  // award that went away as a deletion (data null). Returns how many were written.
  int record_awards(const std::string& contest_id, int64_t now_ms);

 private:
  Store::Impl& db_;
};

}  // namespace core
