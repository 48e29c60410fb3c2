// The one place that turns a CLICS object as core/clics.h builds it (the full object: every
// property any caller may see, as the event log stores it) into what one caller is served.
// GET handlers and the event feed both call view_object(), so a client that builds its state
// from the feed sees what GET shows, property for property; both print it with json_text().
//
// ?strict=true (on every CLICS endpoint and the feed) leaves out our extensions: the properties
// that CLICS 2023-06 does not define, listed per object type in kExtensions (clics_view.cc).
// A new object type with extensions is one line there.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/result.h"
#include "services/access.h"

namespace api {

// Extended: the spec's properties and ours. Strict: the spec's only (?strict=true).
enum class Strictness { Extended, Strict };

// The ?strict= value of a query ("true" or "false"; absent is Extended). Anything else is a 400
// naming strict.
Result<Strictness> parse_strictness(const std::optional<std::string>& value);

// Our extensions of one object type: the properties CLICS 2023-06 does not define. Types are
// the event feed's names ("submissions", "judgements", ...); "scoreboard-problem" is a cell of
// a scoreboard row's problems. Empty for types without extensions.
const std::vector<std::string_view>& extension_keys(std::string_view type);

// Who is served and how: the caller's rights decide which properties it may see (a run's
// judge_message is the jury's; a judgement's compile_output the jury's, and the team's on a
// compile error), strictness whether our extensions stay.
struct Viewer {
  Caller caller;
  Strictness strictness = Strictness::Extended;
};

// `object` (a full CLICS object of `type`) as `viewer` sees it, changed in place.
void view_object(std::string_view type, nlohmann::json& object, const Viewer& viewer);
nlohmann::json viewed(std::string_view type, nlohmann::json object, const Viewer& viewer);

// The text every JSON answer and every feed line's data is printed as (keys in the order of
// nlohmann::json, i.e. sorted; invalid UTF-8 replaced, never thrown).
std::string json_text(const nlohmann::json& value);

}  // namespace api
