// Pure request validation for judge-api: path ids, query numbers, JSON bodies, Authorization
// headers. Expected bad input is a value (HttpError), never an exception. No Pistache here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/ids.h"
#include "domain/types.h"
#include "http/result.h"

namespace api {

using core::is_valid_id;
using core::kMaxIdLength;
// A non-negative decimal int64 (our numeric submission/judgement ids); empty otherwise.
std::optional<int64_t> parse_numeric_id(std::string_view text);

struct LoginRequest {
  std::string username, password;
};
Result<LoginRequest> parse_login_body(std::string_view body);

// One file of a submission zip (source_zip.h reads and writes them).
using domain::SourceFile;

struct SubmissionRequest {
  std::string problem_id, language_id, source;
  std::optional<std::string> team_id;
  std::optional<std::string> filename;  // The file's name inside an uploaded zip of one file.
  std::vector<SourceFile> files;        // A zip of several files (then source is empty).
  std::optional<std::string> entry_point;
};
// The source comes as text ("source") or as a CLICS files array holding one base64 zip
// ("files": [{"data": ...}], see read_sources() for the zip rules). One file in the zip fills
// source and filename, several fill files. entry_point is only type-checked here: what it must
// name depends on the language (core::resolve_entry_point, at submit). 400 malformed/missing/
// wrong-typed field (named), both or neither of source and files, bad base64 or not a zip; 422 a
// zip refused by its contents; 413 source (all files together) longer than max_source_bytes.
Result<SubmissionRequest> parse_submission_body(std::string_view body, size_t max_source_bytes);

// Body of PUT judgements/{id}: {"judgement_type_id":"AC"}; 422 when the type is not served.
Result<domain::Verdict> parse_judgement_update(std::string_view body);

// Body of POST rejudgings: {"submission_ids":["17","18"]} (at most 10,000) or
// {"problem_id":"sum"}, exactly one of the two. 400 malformed, 422 not a submission id.
struct RejudgingRequest {
  std::vector<int64_t> submission_ids;
  std::optional<std::string> problem_id;
};
Result<RejudgingRequest> parse_rejudging(std::string_view body);

// Body of PATCH contests/{cid}: one change per request, "id" (optional) naming the contest:
//   {"start_time": TIME or null}   CLICS contest_start: schedule, or unschedule (null);
//   {"scoreboard_thaw_time": TIME} CLICS contest_thaw;
//   {"finalized": true[, "extra_bronze": B]} ours (CLICS has no capability for it): results
//                                  are final, with B (CCS: given at finalize) when sent.
// 400 malformed, wrong id, bad TIME, nothing to change; 422 another field, several changes,
// finalized other than true, B not in 0..kMaxMedals.
//   settings: any of name, formal_name, duration, scoreboard_freeze_duration, penalty_time,
//   scoreboard_type, gold_medals, silver_medals, bronze_medals, extra_bronze, together (parsed
//   by parse_contest_settings).
struct ContestPatch {
  enum class Kind { Start, Thaw, Finalize, Settings } kind = Kind::Thaw;
  std::optional<int64_t> time_ms;  // Start: the new start (empty: unschedule). Thaw: the thaw.
  std::optional<int> extra_bronze;  // Finalize: B, when sent with it.
};
Result<ContestPatch> parse_contest_patch(std::string_view body, const std::string& contest_id);

// Authorization header, split by scheme. Basic credentials are decoded.
struct BearerCredentials {
  std::string token;
};
struct BasicCredentials {
  std::string username, password;
};
using Credentials = std::variant<BearerCredentials, BasicCredentials>;
// 401 for an unknown scheme or undecodable credentials.
Result<Credentials> parse_authorization(std::string_view header);

// A request body's Content-Type: application/json or application/<type>+json, in any case and
// with any parameters (charset=utf-8). Anything else, "text/json" included, is not JSON.
bool is_json_content_type(std::string_view value);
// application/zip (problem package uploads), parameters ignored.
bool is_zip_content_type(std::string_view value);

// A Content-Length header value: decimal digits, optionally surrounded by spaces, that fit an
// uint64. Empty on anything else (a sign, an exponent, garbage, nothing).
std::optional<uint64_t> parse_content_length(std::string_view value);

// A query string's name or value decoded (application/x-www-form-urlencoded: %XX and '+' for a
// space, as browsers send them). Empty on a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// Standard base64 (RFC 4648, padding optional). Empty on invalid input.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace api
