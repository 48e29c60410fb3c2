// judge-api request handlers, independent of the HTTP library: server.cc turns a Pistache request
// into a Request, checks who may call the route and finds its contest (the route table says
// which), calls one of these and sends the Reply. Handlers are thin: parse, validate, call core,
// reply. Infrastructure failures (core::StoreError, core::QueueError) are
// thrown through and become a 503 in server.cc.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/result.h"
#include "http/web_assets.h"
#include "parse/event_token.h"
#include "resources/clics_view.h"
#include "services/access.h"
#include "services/api_config.h"
#include "services/auth_cache.h"
#include "services/login_throttle.h"
#include "services/password_checks.h"
#include "services/scoreboard_cache.h"
#include "services/submission_batch.h"

namespace core {
class AccountStore;
class ClarificationStore;
class ContestReads;
class EventLog;
class JudgingStore;
class Metrics;
class ProblemData;
class Queue;
class SetupStore;
class Store;
class SubmissionStore;
}  // namespace core

namespace api {

struct FeedStart;    // event_feed.h
class PasswordGate;  // auth.h

struct Request {
  std::map<std::string, std::string> params;  // Path parameters without the ':' (cid, id).
  std::map<std::string, std::string> query;
  std::string body;
  bool zip_body = false;  // Content-Type: application/zip (only on routes that accept it).
  Caller caller;
  int64_t now_ms = 0;
  std::string accept_encoding;  // Accept-Encoding header ("" when absent).
  std::string if_none_match;    // If-None-Match header ("" when absent).
  bool metrics_token = false;  // Authorization carried --metrics-token (GET /metrics only).
  // The peer's IP address as text: what per-client limits (logins, feeds, /metrics) count by.
  std::string client_address;
  // The request presents a password (a login): it runs on a password-check thread, and this
  // checks the password under the login throttle (auth.h). Null on the request threads.
  PasswordGate* passwords = nullptr;
  // The contest of the :cid path parameter, found (and its read checked) by server.cc for the
  // routes whose table entry needs one; empty on the others.
  std::optional<core::Contest> contest;
  // ?strict=true (checked by server.cc on every /api route): CLICS properties only.
  Strictness strictness = Strictness::Extended;

  // Who is served and how, for clics_view.h.
  Viewer viewer() const { return Viewer{caller, strictness}; }
  // A path parameter; server.cc has checked every one against is_valid_id().
  const std::string& param(const std::string& name) const;
  std::optional<std::string> query_param(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string location;  // Location header, when not empty.
  enum class Type { Json, Text, Zip } type = Type::Json;
  int retry_after_seconds = 0;  // Retry-After header, when positive (429, 503).
  // Set by open_event_feed: instead of sending a body, hand the connection to the FeedHub.
  std::shared_ptr<const FeedStart> feed;
  bool gzip = false;            // The body is gzip'd: Content-Encoding: gzip.
  bool vary_encoding = false;   // The body depends on Accept-Encoding: Vary: Accept-Encoding.
  std::string etag;             // ETag header, when not empty.
  // X-Event-Token header (GET state): the newest token of the caller's feed, so that a page that
  // has read the state and the scoreboard follows the event feed from there (?since_token=) for
  // changes. Empty (no header) when the caller may see no event yet: its feed starts at the top.
  std::string event_token;
  std::string content_type;     // Overrides `type` when not empty (the pages' files).
  // A page or its file (pages.cc): scripts and styles only from this origin.
  bool page = false;
  // The answer to a request with credentials: only that browser may keep it (Cache-Control).
  bool private_data = false;

  static Reply json(int status, const nlohmann::json& body);
  static Reply error(int status, std::string_view message);
  static Reply error(const HttpError& error);
};

// Process-wide state shared by all handler threads. store() and queue() return this thread's
// connection, created on first use; a failed construction throws StoreError/QueueError (503)
// and is retried on the next request.
class Services {
 public:
  Services(ApiConfig config, core::Metrics& metrics);
  const ApiConfig& config() const { return config_; }
  core::Metrics& metrics() { return metrics_; }
  BasicAuthCache& basic_auth_cache() { return basic_auth_cache_; }
  LoginThrottle& login_throttle() { return login_throttle_; }
  PasswordCheckThreads& password_checks() { return password_checks_; }
  ScoreboardCache& scoreboard_cache() { return scoreboard_cache_; }
  SubmissionBatcher& submission_batcher() { return submission_batcher_; }
  const EventTokens& event_tokens() const { return event_tokens_; }
  const WebFiles& web_files() const { return web_files_; }
  core::Store& store();
  // This thread's connection as the persistence part a handler needs (core/<part>.h).
  core::ContestReads reads();
  core::SubmissionStore submissions();
  core::ProblemData problem_data();
  core::JudgingStore judging();
  core::SetupStore setup();
  core::AccountStore accounts();
  core::EventLog events();
  core::ClarificationStore clarifications();
  core::Queue& queue();
  // Forget this thread's connection after an infrastructure error: the next use reconnects.
  void drop_store();
  void drop_queue();

 private:
  ApiConfig config_;
  core::Metrics& metrics_;
  BasicAuthCache basic_auth_cache_;
  LoginThrottle login_throttle_;
  ScoreboardCache scoreboard_cache_;
  SubmissionBatcher submission_batcher_;
  EventTokens event_tokens_;
  WebFiles web_files_;
  PasswordCheckThreads password_checks_;  // Last: its threads stop before the rest goes.
};

using Handler = Reply (*)(Services&, const Request&);

// auth.cc (authentication itself: auth.h)
Reply login(Services& services, const Request& request);
// contests.cc
Reply api_info(Services& services, const Request& request);
Reply list_contests(Services& services, const Request& request);
Reply get_contest(Services& services, const Request& request);
Reply list_problems(Services& services, const Request& request);
Reply get_problem(Services& services, const Request& request);
Reply list_languages(Services& services, const Request& request);
Reply get_language(Services& services, const Request& request);
Reply list_judgement_types(Services& services, const Request& request);
Reply get_judgement_type(Services& services, const Request& request);
Reply list_teams(Services& services, const Request& request);
Reply get_team(Services& services, const Request& request);
// scoreboard.cc
Reply get_scoreboard(Services& services, const Request& request);
Reply get_state(Services& services, const Request& request);
// Start time, thaw or finalize (admin/jury).
Reply patch_contest(Services& services, const Request& request);
// awards.cc
Reply list_awards(Services& services, const Request& request);
Reply get_award(Services& services, const Request& request);
// submissions.cc
Reply list_submissions(Services& services, const Request& request);
Reply get_submission(Services& services, const Request& request);
Reply create_submission(Services& services, const Request& request);
Reply get_submission_files(Services& services, const Request& request);
// judgements.cc
Reply list_judgements(Services& services, const Request& request);
Reply get_judgement(Services& services, const Request& request);
Reply put_judgement(Services& services, const Request& request);
Reply list_runs(Services& services, const Request& request);
Reply get_run(Services& services, const Request& request);
// clarifications.cc: CLICS clarifications (POST: team_clar, proxy_clar, admin_clar; PUT:
// admin_clar).
Reply list_clarifications(Services& services, const Request& request);
Reply get_clarification(Services& services, const Request& request);
Reply create_clarification(Services& services, const Request& request);
Reply put_clarification(Services& services, const Request& request);
// rejudgings.cc
Reply create_rejudging(Services& services, const Request& request);
// GET .../problems/{pid}/jury-submissions: expected vs actual verdicts (jury_submissions.cc).
Reply list_jury_submissions(Services& services, const Request& request);
// event_feed.cc
Reply open_event_feed(Services& services, const Request& request);
// setup.cc (write side: jury/admin)
Reply create_user(Services& services, const Request& request);
Reply create_contest(Services& services, const Request& request);
Reply create_organization(Services& services, const Request& request);
Reply create_group(Services& services, const Request& request);
Reply create_team(Services& services, const Request& request);
Reply create_problem(Services& services, const Request& request);
// POST /api/contest-packages: a whole contest from a CLICS contest package zip (contest_import.cc).
Reply import_contest_package(Services& services, const Request& request);
// accounts.cc
Reply list_organizations(Services& services, const Request& request);
Reply get_organization(Services& services, const Request& request);
Reply list_groups(Services& services, const Request& request);
Reply get_group(Services& services, const Request& request);
Reply get_access(Services& services, const Request& request);
Reply list_accounts(Services& services, const Request& request);
Reply get_account(Services& services, const Request& request);
Reply get_own_account(Services& services, const Request& request);
// health.cc
// pages.cc: the pages for people and their files.
Reply get_home_page(Services& services, const Request& request);
Reply get_scoreboard_page(Services& services, const Request& request);
Reply get_team_page(Services& services, const Request& request);
Reply get_static_file(Services& services, const Request& request);

Reply healthz(Services& services, const Request& request);
Reply readyz(Services& services, const Request& request);
Reply metrics(Services& services, const Request& request);

// Metric names (described in server.cc).
inline constexpr const char* kRequestsMetric = "judge_api_requests_total";
inline constexpr const char* kDurationMetric = "judge_api_request_duration_seconds";
inline constexpr const char* kSubmissionsMetric = "judge_api_submissions_created_total";
inline constexpr const char* kQueuePushFailuresMetric = "judge_api_queue_push_failures_total";
inline constexpr const char* kRateLimitedMetric = "judge_api_submissions_rate_limited_total";
inline constexpr const char* kClarRateLimitedMetric = "judge_api_clarifications_rate_limited_total";
inline constexpr const char* kRateLimitUnavailableMetric = "judge_api_rate_limit_unavailable_total";
inline constexpr const char* kScoreboardCacheMetric = "judge_api_scoreboard_cache_total";
inline constexpr const char* kLoginsThrottledMetric = "judge_api_logins_throttled_total";
inline constexpr const char* kLoginThrottleUnavailableMetric =
    "judge_api_login_throttle_unavailable_total";
inline constexpr const char* kPasswordChecksMetric = "judge_api_password_checks_total";
inline constexpr const char* kPasswordChecksInProgressMetric =
    "judge_api_password_checks_in_progress";

}  // namespace api
