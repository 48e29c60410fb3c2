#include "parse/validate.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "core/text.h"
#include "core/timefmt.h"
#include "parse/json_fields.h"
#include "parse/setup_validate.h"
#include "parse/source_zip.h"
#include "resources/serialize.h"

namespace api {
namespace {

using nlohmann::json;

using fields::optional_string;
using fields::parse_object;
using fields::required_string;

// "files": [{"data": base64 zip, "mime"?: "application/zip"}] -> the source files.
Result<std::vector<SourceFile>> parse_submission_files(const json& doc, size_t max_source_bytes) {
  const json& files = doc["files"];
  if (!files.is_array() || files.size() != 1 || !files[0].is_object()) {
    return HttpError{400, "files: must be an array holding one object {\"data\": base64 zip}"};
  }
  auto data = required_string(files[0], "data", "files[0].data");
  if (!data.ok()) return data.error();
  auto mime = optional_string(files[0], "mime");
  if (!mime.ok()) return HttpError{400, "files[0].mime: must be a string"};
  if (mime.value() && *mime.value() != "application/zip") {
    return HttpError{422, "files[0].mime: only application/zip is accepted"};
  }
  auto zip = base64_decode(data.value());
  if (!zip) return HttpError{400, "files[0].data: not valid base64"};
  auto sources = read_sources(*zip, max_source_bytes);
  if (!sources.ok()) {
    return HttpError{sources.error().status, "files[0]: " + sources.error().message};
  }
  return sources;
}

}  // namespace

std::optional<int64_t> parse_numeric_id(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<LoginRequest> parse_login_body(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc.ok()) return doc.error();
  auto username = required_string(doc.value(), "username");
  if (!username.ok()) return username.error();
  auto password = required_string(doc.value(), "password");
  if (!password.ok()) return password.error();
  // A NUL would cut the name short on its way to Postgres: another user could be asked for.
  if (username.value().find('\0') != std::string::npos) {
    return HttpError{422, "username: must not contain a NUL character"};
  }
  return LoginRequest{std::move(username.value()), std::move(password.value())};
}

Result<SubmissionRequest> parse_submission_body(std::string_view body, size_t max_source_bytes) {
  auto parsed = parse_object(body);
  if (!parsed.ok()) return parsed.error();
  const json& doc = parsed.value();
  SubmissionRequest request;
  for (auto [field, target] : {std::pair{"problem_id", &request.problem_id},
                               std::pair{"language_id", &request.language_id}}) {
    auto value = required_string(doc, field);
    if (!value.ok()) return value.error();
    *target = std::move(value.value());
  }
  auto team = optional_string(doc, "team_id");
  if (!team.ok()) return team.error();
  request.team_id = std::move(team.value());
  const bool has_source = doc.contains("source") && !doc["source"].is_null();
  const bool has_files = doc.contains("files") && !doc["files"].is_null();
  if (has_source == has_files) return HttpError{400, "send either source or files (one zip)"};
  auto entry_point = optional_string(doc, "entry_point");
  if (!entry_point.ok()) return entry_point.error();
  request.entry_point = std::move(entry_point.value());
  if (has_files) {
    auto files = parse_submission_files(doc, max_source_bytes);
    if (!files.ok()) return files.error();
    if (files.value().size() > 1) {
      request.files = std::move(files.value());
      return request;
    }
    request.source = std::move(files.value().front().content);
    request.filename = std::move(files.value().front().name);
    return request;
  }
  auto source = required_string(doc, "source");
  if (!source.ok()) return source.error();
  if (source.value().size() > max_source_bytes) {
    return HttpError{413, "source: larger than the limit of " +
                              std::to_string(max_source_bytes / 1024) + " KiB"};
  }
  if (source.value().empty()) return HttpError{400, "source: must not be empty"};
  request.source = std::move(source.value());
  return request;
}

Result<RejudgingRequest> parse_rejudging(std::string_view body) {
  constexpr size_t kMaxIds = 10'000;
  auto doc = parse_object(body);
  if (!doc.ok()) return doc.error();
  const json& d = doc.value();
  const bool by_ids = d.contains("submission_ids"), by_problem = d.contains("problem_id");
  if (by_ids == by_problem) return HttpError{400, "send either submission_ids or problem_id"};
  RejudgingRequest out;
  if (by_problem) {
    auto problem = required_string(d, "problem_id");
    if (!problem.ok()) return problem.error();
    if (!is_valid_id(problem.value())) return HttpError{422, "problem_id: not an identifier"};
    out.problem_id = problem.value();
    return out;
  }
  const json& ids = d["submission_ids"];
  if (!ids.is_array() || ids.empty() || ids.size() > kMaxIds) {
    return HttpError{400, "submission_ids: a list of 1 to 10000 submission ids"};
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const json& id = ids[i];
    auto parsed = id.is_string() ? parse_numeric_id(id.get<std::string>()) : std::nullopt;
    // Named by position: an element is never echoed (it may be any JSON value, of any size).
    if (!parsed) {
      return HttpError{422, "submission_ids[" + std::to_string(i) + "]: not a submission id"};
    }
    out.submission_ids.push_back(*parsed);
  }
  return out;
}

Result<domain::Verdict> parse_judgement_update(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc.ok()) return doc.error();
  auto type = required_string(doc.value(), "judgement_type_id");
  if (!type.ok()) return type.error();
  auto verdict = domain::parse_verdict(type.value());
  if (!verdict)
    return HttpError{422, "judgement_type_id: unknown judgement type '" + type.value() + "'"};
  return *verdict;
}

Result<ContestPatch> parse_contest_patch(std::string_view body, const std::string& contest_id) {
  auto doc = parse_object(body);
  if (!doc.ok()) return doc.error();
  static const std::set<std::string> kSettings = {
      "name",          "formal_name",     "duration",    "scoreboard_freeze_duration",
      "penalty_time",  "scoreboard_type", "gold_medals", "silver_medals",
      "bronze_medals", "extra_bronze"};
  std::vector<std::string> changes;
  bool settings = false;
  // B may come with the finalization itself (CCS: B is provided before finalizing).
  const bool finalize_with_b =
      doc.value().contains("finalized") && doc.value().contains("extra_bronze");
  for (const auto& [key, value] : doc.value().items()) {
    if (key == "id" || (key == "extra_bronze" && finalize_with_b)) continue;
    if (kSettings.count(key)) {
      settings = true;
      continue;
    }
    if (key != "start_time" && key != "scoreboard_thaw_time" && key != "finalized") {
      return HttpError{422, key +
                                ": cannot be changed (start_time, scoreboard_thaw_time, "
                                "finalized, or the contest's settings)"};
    }
    changes.push_back(key);
  }
  if (settings && !changes.empty()) {
    return HttpError{422, changes[0] + ": change it in a request of its own, not with settings"};
  }
  auto id = optional_string(doc.value(), "id");
  if (!id.ok()) return id.error();
  if (id.value() && *id.value() != contest_id) {
    return HttpError{400, "id: does not match the contest in the path"};
  }
  if (settings) return ContestPatch{ContestPatch::Kind::Settings, std::nullopt};
  if (changes.empty()) {
    return HttpError{400,
                     "nothing to change: send start_time, scoreboard_thaw_time, finalized "
                     "or settings"};
  }
  if (changes.size() > 1)
    return HttpError{422, "change one of " + changes[0] + ", " + changes[1] + " per request"};
  const json& value = doc.value()[changes[0]];
  if (changes[0] == "finalized") {
    if (!value.is_boolean()) return HttpError{400, "finalized: must be true"};
    if (!value.get<bool>()) return HttpError{422, "finalized: results cannot be un-finalized"};
    ContestPatch patch{ContestPatch::Kind::Finalize, std::nullopt};
    auto extra = fields::optional_integer(doc.value(), "extra_bronze");
    if (!extra.ok()) return extra.error();
    if (extra.value() && (*extra.value() < 0 || *extra.value() > kMaxMedals)) {
      return HttpError{422, "extra_bronze: must be between 0 and " + std::to_string(kMaxMedals)};
    }
    if (extra.value()) patch.extra_bronze = static_cast<int>(*extra.value());
    return patch;
  }
  const bool start = changes[0] == "start_time";
  if (start && value.is_null()) return ContestPatch{ContestPatch::Kind::Start, std::nullopt};
  auto time = value.is_string() ? core::parse_time(value.get<std::string>()) : std::nullopt;
  if (!time) return HttpError{400, changes[0] + ": not a TIME (ISO 8601 with offset)"};
  return ContestPatch{start ? ContestPatch::Kind::Start : ContestPatch::Kind::Thaw, *time};
}

std::optional<std::string> percent_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex(text[i + 1]), low = hex(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

Result<Credentials> parse_authorization(std::string_view header) {
  auto space = header.find(' ');
  if (space == std::string_view::npos) return HttpError{401, "malformed Authorization header"};
  std::string_view scheme = header.substr(0, space), rest = header.substr(space + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  auto iequals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
  };
  if (rest.empty()) return HttpError{401, "malformed Authorization header"};
  if (iequals(scheme, "bearer")) return Credentials{BearerCredentials{std::string(rest)}};
  if (!iequals(scheme, "basic")) {
    return HttpError{401, "unsupported Authorization scheme (use Bearer or Basic)"};
  }
  auto decoded = base64_decode(rest);
  auto colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) return HttpError{401, "malformed Basic credentials"};
  if (!core::is_storable_text(std::string_view(*decoded).substr(0, colon))) {
    return HttpError{401, "malformed Basic credentials: the user name must be UTF-8 without NUL"};
  }
  return Credentials{BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)}};
}

namespace {

// The media type without parameters, trimmed and lower-cased.
std::string media_type(std::string_view value) {
  std::string type(value.substr(0, value.find(';')));
  auto not_space = [](char c) { return c != ' ' && c != '\t'; };
  type.erase(type.begin(), std::find_if(type.begin(), type.end(), not_space));
  type.erase(std::find_if(type.rbegin(), type.rend(), not_space).base(), type.end());
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

}  // namespace

bool is_zip_content_type(std::string_view value) { return media_type(value) == "application/zip"; }

bool is_json_content_type(std::string_view value) {
  std::string type = media_type(value);
  constexpr std::string_view kApplication = "application/";
  if (!type.starts_with(kApplication)) return false;
  return type == "application/json" ||
         (type.ends_with("+json") && type.size() > kApplication.size() + 5);
}

std::optional<uint64_t> parse_content_length(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t bytes = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), bytes);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return bytes;
}

std::optional<std::string> base64_decode(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace api
