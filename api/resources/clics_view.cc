#include "resources/clics_view.h"

#include <algorithm>
#include <array>

namespace api {
namespace {

struct TypeExtensions {
  std::string_view type;
  std::vector<std::string_view> keys;
};

// Every property we serve that CLICS 2023-06 does not define (spec/Contest_API.md's tables),
// by object type. ?strict=true removes exactly these. A type not listed here has none: its
// objects hold spec properties only (state, languages, problems, teams, organizations, groups,
// judgement-types, accounts, clarifications, awards, access, api). scoreboard_thaw_time is the spec's (the
// 2023-06 contest schema omits it).
const std::array<TypeExtensions, 5>& extensions() {
  static const std::array<TypeExtensions, 5> kExtensions = {{
      {"contest", {"gold_medals", "silver_medals", "bronze_medals", "extra_bronze"}},
      {"submissions", {"judging_state"}},
      {"judgements", {"current", "compile_output"}},
      {"runs", {"memory_kib", "judge_message"}},
      {"scoreboard-problem", {"first_to_solve"}},
  }};
  return kExtensions;
}

// Properties only some callers may see, whatever the strictness.
void apply_rights(std::string_view type, nlohmann::json& object, const Caller& caller) {
  if (caller.is_jury()) return;
  if (type == "runs") {
    object.erase("judge_message");  // A custom validator's message may give the answer away.
  } else if (type == "judgements") {
    // A team (which sees its own judgements only) sees the compiler's messages on a compile
    // error; anonymous callers see no judgement at all.
    auto verdict = object.find("judgement_type_id");
    if (verdict == object.end() || *verdict != "CE") object.erase("compile_output");
  }
}

}  // namespace

Result<Strictness> parse_strictness(const std::optional<std::string>& value) {
  if (!value || *value == "false") return Strictness::Extended;
  if (*value == "true") return Strictness::Strict;
  return HttpError{400, "strict: expected true or false"};
}

const std::vector<std::string_view>& extension_keys(std::string_view type) {
  static const std::vector<std::string_view> kNone;
  const auto& all = extensions();
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& e) { return e.type == type; });
  return it == all.end() ? kNone : it->keys;
}

void view_object(std::string_view type, nlohmann::json& object, const Viewer& viewer) {
  if (!object.is_object()) return;  // A deletion (null) stays one.
  apply_rights(type, object, viewer.caller);
  if (viewer.strictness == Strictness::Strict) {
    for (auto key : extension_keys(type)) object.erase(std::string(key));
  }
}

nlohmann::json viewed(std::string_view type, nlohmann::json object, const Viewer& viewer) {
  view_object(type, object, viewer);
  return object;
}

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace api
