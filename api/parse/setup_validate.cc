#include "parse/setup_validate.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include "core/setup_store.h"
#include "core/timefmt.h"
#include "parse/json_fields.h"
#include "parse/validate.h"

// Early return of a failed Result, so that each parser reads as a list of fields.
#define TRY_FIELD(var, expr) \
  auto var = (expr);         \
  if (!var.ok()) return var.error();

namespace api {
namespace {

using namespace fields;

// Exactly `length` characters, each accepted by `is_allowed` after an optional fixed prefix.
// (Not std::regex: GCC 12 warns inside its headers under the sanitizer build.)
bool matches(std::string_view text, std::string_view prefix, size_t length,
             int (*is_allowed)(int)) {
  if (!text.starts_with(prefix) || text.size() != prefix.size() + length) return false;
  for (char c : text.substr(prefix.size())) {
    if (!is_allowed(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int is_upper_ascii(int c) { return c >= 'A' && c <= 'Z'; }

// A required TIME or null (CLICS start_time: null = not scheduled). The key must be present.
Result<std::optional<int64_t>> time_or_null(const json& doc, const std::string& field) {
  auto it = doc.find(field);
  if (it == doc.end()) return HttpError{400, field + ": required (a TIME or null)"};
  if (it->is_null()) return std::optional<int64_t>{};
  if (!it->is_string()) return HttpError{400, field + ": must be a TIME string or null"};
  auto ms = core::parse_time(it->get<std::string>());
  if (!ms) return HttpError{400, field + ": not a TIME like 2026-11-22T10:00:00.000+00:00"};
  return ms;
}

// An optional RELTIME (h:mm:ss.uuu); empty when absent or null.
Result<std::optional<int64_t>> optional_reltime(const json& doc, const std::string& field) {
  TRY_FIELD(text, optional_string(doc, field));
  if (!text.value()) return std::optional<int64_t>{};
  auto ms = core::parse_reltime(*text.value());
  if (!ms) return HttpError{400, field + ": not a RELTIME like 5:00:00.000"};
  if (*ms < 0) return HttpError{422, field + ": must not be negative"};
  return ms;
}

Result<std::optional<int64_t>> positive_integer(const json& doc, const std::string& field,
                                                int64_t max) {
  TRY_FIELD(value, optional_integer(doc, field));
  if (value.value() && (*value.value() <= 0 || *value.value() > max)) {
    return HttpError{422, field + ": must be between 1 and " + std::to_string(max)};
  }
  return value;
}

// Contest fields after name and times; split out to keep parse_contest_body short.
std::optional<HttpError> contest_scoring(const json& doc, core::Contest& contest) {
  auto penalty = optional_integer(doc, "penalty_time");
  if (!penalty.ok()) return penalty.error();
  if (penalty.value()) {
    if (*penalty.value() < 0 || *penalty.value() > INT32_MAX) {
      return HttpError{422, "penalty_time: must be a non-negative number of minutes"};
    }
    contest.penalty_minutes = static_cast<int>(*penalty.value());
  }
  auto type = optional_string(doc, "scoreboard_type");
  if (!type.ok()) return type.error();
  if (type.value()) {
    if (*type.value() != "pass-fail" && *type.value() != "score") {
      return HttpError{422, "scoreboard_type: must be pass-fail or score"};
    }
    contest.scoreboard_type = *type.value();
  }
  return std::nullopt;
}

// The medal counts (core/awards.h), each a whole number from 0 to kMaxMedals.
std::optional<HttpError> contest_medals(const json& doc, core::Contest& contest) {
  const std::pair<const char*, int*> fields[] = {{"gold_medals", &contest.gold_medals},
                                                 {"silver_medals", &contest.silver_medals},
                                                 {"bronze_medals", &contest.bronze_medals},
                                                 {"extra_bronze", &contest.extra_bronze}};
  for (const auto& [field, target] : fields) {
    auto count = optional_integer(doc, field);
    if (!count.ok()) return count.error();
    if (!count.value()) continue;
    if (*count.value() < 0 || *count.value() > kMaxMedals) {
      return HttpError{
          422, std::string(field) + ": must be between 0 and " + std::to_string(kMaxMedals)};
    }
    *target = static_cast<int>(*count.value());
  }
  return std::nullopt;
}

// time_limit in seconds (any positive JSON number) to whole milliseconds.
Result<int> time_limit_ms(const json& doc) {
  auto it = doc.find("time_limit");
  if (it == doc.end() || it->is_null()) return HttpError{400, "time_limit: required"};
  if (!it->is_number()) return HttpError{400, "time_limit: must be a number of seconds"};
  double seconds = it->get<double>();
  if (!(seconds > 0) || seconds > kMaxTimeLimitSeconds) {
    return HttpError{422, "time_limit: must be more than 0 and at most " +
                              std::to_string(kMaxTimeLimitSeconds) + " seconds"};
  }
  return std::max(1, static_cast<int>(std::lround(seconds * 1000)));
}

Result<core::NewProblem::Test> test_case(const json& item, const std::string& where) {
  if (!item.is_object()) return HttpError{400, where + ": must be an object"};
  TRY_FIELD(input, required_string(item, "input", where + ".input"));
  TRY_FIELD(answer, required_string(item, "answer", where + ".answer"));
  core::NewProblem::Test test{std::move(input.value()), std::move(answer.value()), false};
  if (auto it = item.find("sample"); it != item.end() && !it->is_null()) {
    if (!it->is_boolean()) return HttpError{400, where + ".sample: must be a boolean"};
    test.is_sample = it->get<bool>();
  }
  return test;
}

Result<std::vector<core::NewProblem::Test>> test_cases(const json& doc) {
  auto it = doc.find("test_cases");
  if (it == doc.end() || it->is_null()) return HttpError{400, "test_cases: required"};
  if (!it->is_array()) return HttpError{400, "test_cases: must be an array"};
  if (it->empty()) return HttpError{422, "test_cases: at least one test case is required"};
  std::vector<core::NewProblem::Test> tests;
  for (size_t i = 0; i < it->size(); ++i) {
    TRY_FIELD(test, test_case((*it)[i], "test_cases[" + std::to_string(i) + "]"));
    tests.push_back(std::move(test.value()));
  }
  return tests;
}

// Label, ordinal, rgb and the optional limits/flags of a problem.
std::optional<HttpError> problem_details(const json& doc, core::Problem& p) {
  auto ordinal = optional_integer(doc, "ordinal");
  if (!ordinal.ok()) return ordinal.error();
  if (ordinal.value()) {
    if (*ordinal.value() < INT32_MIN || *ordinal.value() > INT32_MAX) {
      return HttpError{422, "ordinal: out of range"};
    }
    p.ordinal = static_cast<int>(*ordinal.value());
  }
  auto rgb = optional_string(doc, "rgb");
  if (!rgb.ok()) return rgb.error();
  if (rgb.value() && !matches(*rgb.value(), "#", 6, isxdigit)) {
    return HttpError{422, "rgb: must look like #1a2b3c"};
  }
  p.rgb = rgb.value();
  for (auto [field, target] : {std::pair{"memory_limit", &p.memory_limit_kib},
                               std::pair{"output_limit", &p.output_limit_kib}}) {
    auto mib = positive_integer(doc, field, kMaxMemoryMiB);
    if (!mib.ok()) return mib.error();
    if (mib.value()) *target = *mib.value() * kKibPerMib;
  }
  auto flags = optional_text(doc, "validator_flags");
  if (!flags.ok()) return flags.error();
  if (flags.value()) {
    if (auto bad = validator_flags_error(*flags.value())) {
      return HttpError{422, "validator_flags: " + *bad};
    }
    p.validator_flags = *flags.value();
  }
  return std::nullopt;
}

}  // namespace

Result<UserRequest> parse_user_body(std::string_view body) {
  TRY_FIELD(doc, parse_object(body));
  TRY_FIELD(username, required_text(doc.value(), "username"));
  if (!is_valid_id(username.value())) {
    // The username doubles as the CLICS account id.
    return HttpError{422, "username: must be an identifier ([A-Za-z0-9_.-], at most 36)"};
  }
  TRY_FIELD(password, required_text(doc.value(), "password"));
  TRY_FIELD(role_text, required_string(doc.value(), "role"));
  auto role = core::parse_role(role_text.value());
  if (!role) return HttpError{422, "role: must be admin, jury or team"};
  TRY_FIELD(team_id, optional_id(doc.value(), "team_id"));
  if (*role == core::Role::Team && !team_id.value()) {
    return HttpError{400, "team_id: required for role team"};
  }
  if (team_id.value() == core::kJuryTeamId) {  // Its account would see the jury submissions.
    return HttpError{422, std::string("team_id: '") + core::kJuryTeamId + "' is reserved"};
  }
  return UserRequest{username.value(), password.value(), *role, team_id.value()};
}

Result<core::Contest> parse_contest_body(std::string_view body) {
  TRY_FIELD(doc, parse_object(body));
  const json& d = doc.value();
  core::Contest contest;
  TRY_FIELD(id, optional_id(d, "id"));
  contest.id = id.value().value_or("");
  // Its queue key would be the dead-letter list (core/queue.h).
  if (contest.id == "dead") return HttpError{422, "id: 'dead' is reserved"};
  TRY_FIELD(name, required_text(d, "name"));
  contest.name = name.value();
  TRY_FIELD(formal_name, optional_text(d, "formal_name"));
  contest.formal_name = formal_name.value().value_or("");
  TRY_FIELD(start, time_or_null(d, "start_time"));
  contest.start_ms = start.value();
  if (!d.contains("duration") || d["duration"].is_null())
    return HttpError{400, "duration: required"};
  TRY_FIELD(duration, optional_reltime(d, "duration"));
  if (*duration.value() == 0) return HttpError{422, "duration: must be positive"};
  if (*duration.value() > kMaxContestDurationMs) {
    return HttpError{422, "duration: longer than " + std::to_string(kMaxContestDays) + " days"};
  }
  contest.duration_ms = *duration.value();
  TRY_FIELD(freeze, optional_reltime(d, "scoreboard_freeze_duration"));
  if (freeze.value() && *freeze.value() > contest.duration_ms) {
    return HttpError{422, "scoreboard_freeze_duration: longer than the contest"};
  }
  contest.freeze_ms = freeze.value();
  if (auto bad = contest_scoring(d, contest)) return *bad;
  return contest;
}

Result<core::Contest> parse_contest_settings(std::string_view body, core::Contest contest) {
  TRY_FIELD(doc, parse_object(body));
  const json& d = doc.value();
  if (d.contains("name")) {
    TRY_FIELD(name, required_text(d, "name"));
    // A formal name that only repeated the name follows it.
    if (contest.formal_name == contest.name) contest.formal_name = name.value();
    contest.name = name.value();
  }
  TRY_FIELD(formal_name, optional_string(d, "formal_name"));
  if (formal_name.value()) contest.formal_name = *formal_name.value();
  if (d.contains("duration")) {
    TRY_FIELD(duration, optional_reltime(d, "duration"));
    if (!duration.value() || *duration.value() == 0)
      return HttpError{422, "duration: must be positive"};
    contest.duration_ms = *duration.value();
  }
  if (d.contains("scoreboard_freeze_duration")) {
    TRY_FIELD(freeze, optional_reltime(d, "scoreboard_freeze_duration"));
    contest.freeze_ms = freeze.value();  // null: no freeze.
  }
  if (contest.freeze_ms && *contest.freeze_ms > contest.duration_ms) {
    return HttpError{422, "scoreboard_freeze_duration: longer than the contest"};
  }
  if (auto bad = contest_scoring(d, contest)) return *bad;
  if (auto bad = contest_medals(d, contest)) return *bad;
  return contest;
}

Result<core::Organization> parse_organization_body(std::string_view body) {
  TRY_FIELD(doc, parse_object(body));
  TRY_FIELD(id, optional_id(doc.value(), "id"));
  TRY_FIELD(name, required_text(doc.value(), "name"));
  TRY_FIELD(formal_name, optional_text(doc.value(), "formal_name"));
  TRY_FIELD(country, optional_string(doc.value(), "country"));
  if (country.value() && !matches(*country.value(), "", 3, is_upper_ascii)) {
    return HttpError{422, "country: must be an ISO 3166-1 alpha-3 code like NLD"};
  }
  return core::Organization{id.value().value_or(""), name.value(), formal_name.value(),
                            country.value()};
}

Result<core::Group> parse_group_body(std::string_view body) {
  TRY_FIELD(doc, parse_object(body));
  TRY_FIELD(id, optional_id(doc.value(), "id"));
  TRY_FIELD(name, required_text(doc.value(), "name"));
  return core::Group{id.value().value_or(""), name.value()};
}

Result<core::Team> parse_team_body(std::string_view body) {
  TRY_FIELD(doc, parse_object(body));
  const json& d = doc.value();
  TRY_FIELD(id, optional_id(d, "id"));
  TRY_FIELD(name, required_text(d, "name"));
  TRY_FIELD(display_name, optional_text(d, "display_name"));
  TRY_FIELD(organization_id, optional_id(d, "organization_id"));
  if (id.value() == core::kJuryTeamId)  // The hidden owner of jury submissions.
    return HttpError{422, std::string("id: '") + core::kJuryTeamId + "' is reserved"};
  core::Team team{id.value().value_or(""),
                  name.value(),
                  display_name.value().value_or(""),
                  organization_id.value(),
                  {}};
  auto groups = d.find("group_ids");
  if (groups == d.end() || groups->is_null()) return team;
  if (!groups->is_array()) return HttpError{400, "group_ids: must be an array of ids"};
  std::set<std::string> seen;
  for (size_t i = 0; i < groups->size(); ++i) {
    const std::string field = "group_ids[" + std::to_string(i) + "]";
    const json& g = (*groups)[i];
    if (!g.is_string()) return HttpError{400, field + ": must be a string"};
    if (!is_valid_id(g.get<std::string>())) return HttpError{422, field + ": not an identifier"};
    if (!seen.insert(g.get<std::string>()).second) return HttpError{422, field + ": duplicate"};
    team.group_ids.push_back(g.get<std::string>());
  }
  return team;
}

Result<core::NewProblem> parse_problem_body(std::string_view body) {
  TRY_FIELD(doc, parse_object(body));
  const json& d = doc.value();
  core::NewProblem n;
  core::Problem& p = n.problem;
  TRY_FIELD(id, required_text(d, "id"));
  if (!is_valid_id(id.value())) return HttpError{422, "id: not an identifier"};
  p.id = id.value();
  TRY_FIELD(label, required_text(d, "label"));
  p.label = label.value();
  TRY_FIELD(name, required_text(d, "name"));
  p.name = name.value();
  TRY_FIELD(limit, time_limit_ms(d));
  p.time_limit_ms = limit.value();
  if (auto bad = problem_details(d, p)) return *bad;
  TRY_FIELD(tests, test_cases(d));
  n.tests = std::move(tests.value());
  p.test_count = static_cast<int>(n.tests.size());
  return n;
}

std::optional<std::string> validator_flags_error(std::string_view flags) {
  std::istringstream in{std::string(flags)};
  std::string word;
  while (in >> word) {
    if (word == "case_sensitive" || word == "space_change_sensitive") continue;
    if (word != "float_absolute_tolerance" && word != "float_relative_tolerance" &&
        word != "float_tolerance") {
      return "unknown flag '" + word + "'";
    }
    std::string value;
    char* end = nullptr;
    if (!(in >> value)) return word + " needs a number";
    double number = std::strtod(value.c_str(), &end);
    if (end != value.c_str() + value.size() || !std::isfinite(number) || number < 0) {
      return word + ": '" + value + "' is not a non-negative number";
    }
  }
  return std::nullopt;
}

}  // namespace api
