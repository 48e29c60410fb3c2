// Pistache glue: one table of routes, and one wrapper around every handler that authenticates,
// validates path ids, checks who may call the route and finds its contest (the table says
// which), maps infrastructure exceptions to 503 and anything unexpected to a generic
// 500, and records request metrics. Handlers run on Pistache's threads and never block on judging;
// a request presenting a password runs on a password-check thread instead (auth.h), which sends
// its reply.
#include "http/server.h"

#include <fcntl.h>
#include <pistache/endpoint.h>
#include <pistache/peer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "core/auth.h"
#include "core/contest_reads.h"
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "core/text.h"
#include "core/timefmt.h"
#include "http/handlers.h"
#include "http/http_connection.h"
#include "parse/validate.h"
#include "resources/serialize.h"
#include "services/auth.h"
#include "services/feed_hub.h"

namespace api {
namespace {

using namespace Pistache;

// Who may call a route; checked before its contest is looked up, in this order of refusals.
enum class Access {
  Anyone,
  LoggedIn,     // An account: 401 "authentication required" for an anonymous caller.
  Participant,  // check_authenticated(): 401 anonymous, 403 a team account without a team.
  Jury,         // check_jury(): 401 anonymous, 403 a team.
  Admin,        // check_admin(): 401 anonymous, 403 jury and teams.
};

// The contest of the route's :cid, found before the handler runs (Request::contest).
enum class ContestNeed {
  None,
  Exists,        // 404 "unknown contest" when there is none.
  ReadPublic,    // Exists, then check_read(ContestData::Public): 403 with the reason.
  ReadProblems,  // Exists, then check_read(ContestData::Problems): 403 with the reason.
};

struct RouteSpec {
  Http::Method method;
  const char* path;
  Handler handler;
  Access who = Access::Anyone;
  ContestNeed contest = ContestNeed::None;
  // After `who`, before the contest: a caller who is not jury gets a 403 with this message.
  const char* jury_only = nullptr;
  bool accepts_zip = false;    // The body may also be application/zip (problem, contest packages).
  bool metrics_token = false;  // Authorization may be "Bearer <--metrics-token>" (a scraper).
};

constexpr const char* kContest = "/api/contests/:cid";
// A client with its share of event feeds open may try again after this.
constexpr int kFeedRetrySeconds = 10;
// The request line and headers; a longer head is a 431.
constexpr size_t kMaxHeadBytes = 64 * 1024;

const std::vector<RouteSpec>& routes() {
  using M = Http::Method;
  using A = Access;
  using C = ContestNeed;
  // Handlers that check more than this (a body, a submission's owner, /metrics' token, the
  // scoreboard's one-statement lookup) do so themselves.
  static const std::vector<RouteSpec> kRoutes = {
      {M::Get, "/healthz", healthz},
      {M::Get, "/readyz", readyz},
      {M::Get, "/metrics", metrics, A::Anyone, C::None, nullptr, false, true},
      {M::Post, "/api/auth/login", login},
      {M::Get, "/api", api_info},
      {M::Post, "/api/users", create_user, A::Admin},
      {M::Get, "/api/contests", list_contests},
      {M::Post, "/api/contests", create_contest, A::Jury},
      // A contest package zip (the body limit is the API's one, --max-source-kib's).
      {M::Post, "/api/contest-packages", import_contest_package, A::Admin, C::None, nullptr, true},
      {M::Get, kContest, get_contest, A::Anyone, C::Exists},
      {M::Get, "/api/contests/:cid/access", get_access, A::Anyone, C::Exists},
      {M::Get, "/api/contests/:cid/accounts", list_accounts, A::Admin, C::Exists},
      {M::Get, "/api/contests/:cid/accounts/:id", get_account, A::Admin, C::Exists},
      {M::Get, "/api/contests/:cid/account", get_own_account, A::LoggedIn, C::Exists},
      {M::Get, "/api/contests/:cid/organizations", list_organizations, A::Anyone, C::ReadPublic},
      {M::Post, "/api/contests/:cid/organizations", create_organization, A::Jury, C::Exists},
      {M::Get, "/api/contests/:cid/organizations/:id", get_organization, A::Anyone, C::ReadPublic},
      {M::Get, "/api/contests/:cid/groups", list_groups, A::Anyone, C::ReadPublic},
      {M::Post, "/api/contests/:cid/groups", create_group, A::Jury, C::Exists},
      {M::Get, "/api/contests/:cid/groups/:id", get_group, A::Anyone, C::ReadPublic},
      {M::Patch, kContest, patch_contest, A::Participant, C::Exists,
       "only the jury may change a contest"},
      {M::Get, "/api/contests/:cid/state", get_state, A::Anyone, C::ReadPublic},
      // Reads the contest with its change counter in one statement (the cache key) itself.
      {M::Get, "/api/contests/:cid/scoreboard", get_scoreboard},
      // The awards of the caller's view of the scoreboard (the public's frozen one).
      {M::Get, "/api/contests/:cid/awards", list_awards, A::Anyone, C::ReadPublic},
      {M::Get, "/api/contests/:cid/awards/:id", get_award, A::Anyone, C::ReadPublic},
      {M::Get, "/api/contests/:cid/problems", list_problems, A::Anyone, C::ReadProblems},
      {M::Post, "/api/contests/:cid/problems", create_problem, A::Jury, C::Exists, nullptr, true},
      {M::Get, "/api/contests/:cid/problems/:id", get_problem, A::Anyone, C::ReadProblems},
      {M::Get, "/api/contests/:cid/problems/:pid/jury-submissions", list_jury_submissions, A::Jury,
       C::Exists},
      {M::Get, "/api/contests/:cid/languages", list_languages, A::Anyone, C::ReadPublic},
      {M::Get, "/api/contests/:cid/languages/:id", get_language, A::Anyone, C::ReadPublic},
      {M::Get, "/api/contests/:cid/judgement-types", list_judgement_types, A::Anyone,
       C::ReadPublic},
      {M::Get, "/api/contests/:cid/judgement-types/:id", get_judgement_type, A::Anyone,
       C::ReadPublic},
      {M::Get, "/api/contests/:cid/teams", list_teams, A::Anyone, C::ReadPublic},
      {M::Post, "/api/contests/:cid/teams", create_team, A::Jury, C::Exists},
      {M::Get, "/api/contests/:cid/teams/:id", get_team, A::Anyone, C::ReadPublic},
      {M::Get, "/api/contests/:cid/submissions", list_submissions, A::Participant, C::Exists},
      {M::Post, "/api/contests/:cid/submissions", create_submission, A::Participant, C::Exists},
      {M::Get, "/api/contests/:cid/submissions/:id", get_submission, A::Participant, C::Exists},
      {M::Get, "/api/contests/:cid/submissions/:id/files", get_submission_files, A::Participant,
       C::Exists},
      {M::Get, "/api/contests/:cid/judgements", list_judgements, A::Participant, C::Exists},
      {M::Get, "/api/contests/:cid/judgements/:id", get_judgement, A::Participant, C::Exists},
      {M::Put, "/api/contests/:cid/judgements/:id", put_judgement, A::Participant, C::Exists,
       "only the jury may set a verdict"},
      // Each caller sees what it may (clarifications.cc); anonymous callers once it started.
      {M::Get, "/api/contests/:cid/clarifications", list_clarifications, A::Anyone, C::ReadPublic},
      {M::Post, "/api/contests/:cid/clarifications", create_clarification, A::Participant,
       C::Exists},
      {M::Get, "/api/contests/:cid/clarifications/:id", get_clarification, A::Anyone,
       C::ReadPublic},
      {M::Put, "/api/contests/:cid/clarifications/:id", put_clarification, A::Participant,
       C::Exists, "only the jury may choose a clarification's id (CLICS admin_clar)"},
      {M::Get, "/api/contests/:cid/event-feed", open_event_feed, A::Anyone, C::ReadPublic},
      {M::Post, "/api/contests/:cid/rejudgings", create_rejudging, A::Jury, C::Exists},
      {M::Get, "/api/contests/:cid/runs", list_runs, A::Participant, C::Exists},
      {M::Get, "/api/contests/:cid/runs/:id", get_run, A::Participant, C::Exists},
      // Pages for people (pages.cc), outside /api.
      {M::Get, "/", get_home_page},
      {M::Get, "/contests/:cid/scoreboard", get_scoreboard_page},
      {M::Get, "/contests/:cid/team", get_team_page},
      {M::Get, "/static/:name", get_static_file},
  };
  return kRoutes;
}

// Names of the :params of a route pattern, without the colon.
std::vector<std::string> param_names(std::string_view path) {
  std::vector<std::string> names;
  for (size_t pos = path.find("/:"); pos != std::string_view::npos; pos = path.find("/:", pos)) {
    size_t end = path.find('/', pos + 2);
    names.emplace_back(path.substr(pos + 2, end == std::string_view::npos ? end : end - pos - 2));
    pos += 2;
  }
  return names;
}

bool has_body(Http::Method method) {
  return method == Http::Method::Post || method == Http::Method::Put ||
         method == Http::Method::Patch;
}

std::optional<std::string> content_type_header(const Http::Request& request) {
  const auto& headers = request.headers();
  if (auto raw = headers.tryGetRaw(Http::Header::ContentType::Name)) return raw->value();
  if (auto parsed = headers.tryGet<Http::Header::ContentType>()) return parsed->mime().toString();
  return std::nullopt;
}

// A header Pistache keeps raw (it has no class for it); "" when absent.
std::string raw_header(const Http::Request& request, const std::string& name) {
  auto raw = request.headers().tryGetRaw(name);
  return raw ? raw->value() : std::string();
}

std::optional<std::string> authorization_header(const Http::Request& request) {
  const auto& headers = request.headers();
  if (auto parsed = headers.tryGet<Http::Header::Authorization>()) return parsed->value();
  if (auto raw = headers.tryGetRaw(Http::Header::Authorization::Name)) return raw->value();
  return std::nullopt;
}

// How far a request got before dispatch: its Authorization header read without hashing (or
// found to be the metrics token), and the gate for its passwords when it runs on a
// password-check thread.
struct Arrival {
  int64_t now_ms = 0;
  Authentication authentication;
  PasswordGate* passwords = nullptr;
  bool metrics_token = false;
};

// Turns a Pistache request into our Request: caller authenticated, path ids checked, a body
// declared as JSON (or as a zip where the route accepts one).
Result<Request> make_request(Services& services, const Rest::Request& http,
                             const std::vector<std::string>& names, const RouteSpec& spec,
                             const Arrival& arrival) {
  Request request;
  request.now_ms = arrival.now_ms;
  request.passwords = arrival.passwords;
  request.metrics_token = arrival.metrics_token;
  // Authenticate first: a bad credential is a 401 whatever else is wrong with the request.
  auto caller =
      finish_authentication(services, arrival.authentication, arrival.passwords, arrival.now_ms);
  if (!caller.ok()) return caller.error();
  request.caller = std::move(caller.value());
  for (const auto& name : names) {
    // as<std::string>() is a plain copy: no lexical cast that could throw.
    std::string value = http.param(":" + name).as<std::string>();
    if (!is_valid_id(value)) return HttpError{404, "invalid id '" + name + "' in path"};
    request.params.emplace(name, std::move(value));
  }
  if (has_body(spec.method)) {
    auto type = content_type_header(http);
    request.zip_body = spec.accepts_zip && type && is_zip_content_type(*type);
    if (!request.zip_body && (!type || !is_json_content_type(*type))) {
      return HttpError{415, "the body must be JSON sent as Content-Type: application/json"};
    }
  }
  const auto& query = http.query();
  for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
    auto name = percent_decode(it->first), value = percent_decode(it->second);
    if (!name || !value) return HttpError{400, "malformed percent-encoding in the query string"};
    if (!core::is_storable_text(*name) || !core::is_storable_text(*value)) {
      return HttpError{400, "query parameter '" + *name + "': not UTF-8 text (or a NUL)"};
    }
    request.query.emplace(std::move(*name), std::move(*value));
  }
  // Every CLICS endpoint and the feed take ?strict=; our other /api routes accept it too (and
  // serve nothing it would change). The pages outside /api ignore it.
  if (std::string_view(spec.path).starts_with("/api")) {
    auto strictness = parse_strictness(request.query_param("strict"));
    if (!strictness.ok()) return strictness.error();
    request.strictness = strictness.value();
  }
  request.body = http.body();
  request.accept_encoding = raw_header(http, "Accept-Encoding");
  request.if_none_match = raw_header(http, "If-None-Match");
  request.client_address = http.address().host();
  return request;
}

// The Authorization header read without hashing; an unexpected failure is a logged 500.
// GET /metrics with --metrics-token's bearer value is an anonymous caller holding the token.
Arrival arrive(Services& services, const RouteSpec& spec, const Rest::Request& http) {
  Arrival arrival;
  arrival.now_ms = core::now_ms();
  auto header = authorization_header(http);
  const std::string& scrape_token = services.config().metrics_token;
  if (spec.metrics_token && header && !scrape_token.empty() &&
      core::equal_secrets(*header, "Bearer " + scrape_token)) {
    arrival.authentication = Caller{};
    arrival.metrics_token = true;
    return arrival;
  }
  try {
    arrival.authentication = authenticate_without_hashing(services, header, arrival.now_ms);
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception reading credentials error={}", log_quote(e.what()));
    arrival.authentication = HttpError{500, "internal error"};
  }
  return arrival;
}

// The route's Access for this caller: the refusal, if any.
std::optional<HttpError> check_access(const RouteSpec& spec, const Caller& caller) {
  std::optional<HttpError> denied;
  switch (spec.who) {
    case Access::Anyone:
      break;
    case Access::LoggedIn:
      if (!caller.authenticated) denied = HttpError{401, "authentication required"};
      break;
    case Access::Participant:
      denied = check_authenticated(caller);
      break;
    case Access::Jury:
      denied = check_jury(caller);
      break;
    case Access::Admin:
      denied = check_admin(caller);
      break;
  }
  if (!denied && spec.jury_only != nullptr && !caller.is_jury()) {
    denied = HttpError{403, spec.jury_only};
  }
  return denied;
}

// The contest named by the :cid path parameter as the route needs it: 404 when unknown, then
// check_read()'s 403 for the routes that read its data.
Result<core::Contest> needed_contest(Services& services, const Request& request, ContestNeed need) {
  const std::string& cid = request.param("cid");
  auto contest = services.reads().contest(cid);
  if (!contest) return HttpError{404, "unknown contest '" + cid + "'"};
  if (need == ContestNeed::ReadPublic || need == ContestNeed::ReadProblems) {
    const ContestData what =
        need == ContestNeed::ReadProblems ? ContestData::Problems : ContestData::Public;
    if (auto denied = check_read(request.caller, *contest, what, request.now_ms)) return *denied;
  }
  return std::move(*contest);
}

// Runs one handler after the route's checks; nothing escapes: bad input was handled by the handler,
// infrastructure failures become 503, anything else a logged, generic 500.
Reply dispatch(Services& services, const RouteSpec& spec, const std::vector<std::string>& names,
               const Rest::Request& http, const Arrival& arrival) {
  try {
    auto request = make_request(services, http, names, spec, arrival);
    if (!request.ok()) return Reply::error(request.error());
    // Who may call, then the contest: a caller refused by the route learns nothing of contests.
    if (auto denied = check_access(spec, request.value().caller)) return Reply::error(*denied);
    if (spec.contest != ContestNeed::None) {
      auto contest = needed_contest(services, request.value(), spec.contest);
      if (!contest.ok()) return Reply::error(contest.error());
      request.value().contest = std::move(contest.value());
    }
    return spec.handler(services, request.value());
  } catch (const core::StoreInputError& e) {
    spdlog::error("input reached the database unchecked route={} error={}", spec.path,
                  log_quote(e.what()));
    return Reply::error(400, "a value of the request cannot be stored (text that is not UTF-8 "
                             "or holds a NUL, or a number out of range)");
  } catch (const core::StoreError& e) {
    spdlog::error("store error route={} error={}", spec.path, log_quote(e.what()));
    services.drop_store();
    return Reply::error(503, "database unavailable");
  } catch (const core::QueueError& e) {
    spdlog::error("queue error route={} error={}", spec.path, log_quote(e.what()));
    services.drop_queue();
    return Reply::error(503, "queue unavailable");
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception route={} error={}", spec.path, log_quote(e.what()));
  } catch (...) {
    spdlog::error("unhandled non-standard exception route={}", spec.path);
  }
  return Reply::error(500, "internal error");
}

void record(core::Metrics& metrics, const std::string& route, Http::Method method, int status,
            double seconds) {
  const std::string labels = "route=\"" + route + "\",method=\"" + Http::methodString(method) +
                             "\",status=\"" + std::to_string(status) + "\"";
  metrics.inc(kRequestsMetric, labels);
  metrics.observe(kDurationMetric, "route=\"" + route + "\"", seconds);
}

}  // namespace

void describe_metrics(core::Metrics& metrics) {
  metrics.describe(kRequestsMetric, "counter", "HTTP requests by route, method and status.");
  metrics.describe(kDurationMetric, "histogram", "HTTP request duration in seconds by route.",
                   {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5});
  metrics.describe(kSubmissionsMetric, "counter", "Submissions accepted, by contest.");
  metrics.describe(kScoreboardCacheMetric, "counter",
                   "GET scoreboard: rows served from the cache (hit), computed (miss), or "
                   "computed by a concurrent request and waited for (wait).");
  metrics.describe(kQueuePushFailuresMetric, "counter",
                   "Submissions committed but not pushed to Redis (the sweeper re-pushes them).");
  metrics.describe(kRateLimitedMetric, "counter",
                   "Submissions refused by the per-team rate limit (429).");
  metrics.describe(kClarRateLimitedMetric, "counter",
                   "Clarification requests refused by the per-team rate limit (429).");
  metrics.describe(kRateLimitUnavailableMetric, "counter",
                   "Submissions and clarifications let through unlimited because Redis could not "
                   "be asked.");
  metrics.describe(kLoginsThrottledMetric, "counter",
                   "Logins and HTTP Basic requests refused (429) without a password check: too "
                   "many failures for the account or from the address, or every check thread "
                   "busy and the queue full (busy).");
  metrics.describe(
      kLoginThrottleUnavailableMetric, "counter",
      "Login attempts counted by this process alone because Redis could not be asked.");
  metrics.describe(kPasswordChecksMetric, "counter",
                   "Passwords checked (argon2), by result: right or wrong.");
  metrics.describe(kPasswordChecksInProgressMetric, "gauge",
                   "Password checks running on the check threads, and waiting for one.");
}

struct Server::Impl {
  using Clock = std::chrono::steady_clock;

  Impl(const ApiConfig& config, core::Metrics& metrics)
      : services(config, metrics), feeds(config, metrics) {}

  // Hands the connection of an accepted event-feed request to the FeedHub; the refusal otherwise.
  std::optional<Reply> hand_over(Http::ResponseWriter& response, const FeedStart& start) {
    int fd = -1;
    try {
      if (auto peer = response.peer()) {
        fd = ::fcntl(peer->fd(), F_DUPFD_CLOEXEC, 0);
        // Pistache answers a request it thinks still pending with a 408 after its header
        // timeout (60 s). Idle, it at most closes its own descriptor after the keep-alive
        // timeout; our duplicate keeps the connection open for the hub.
        peer->setIdle(true);
        hand_over_connection(peer);
      }
    } catch (const std::exception&) {
      return Reply::error(503, "the client is gone");  // Nobody reads this answer.
    }
    if (fd < 0) return Reply::error(503, "too many open connections, retry later");
    switch (feeds.add(fd, start)) {
      case FeedHub::Admission::Added:
        return std::nullopt;
      case FeedHub::Admission::ClientFull:
        return too_many_feeds(start);
      case FeedHub::Admission::HubFull:
        break;
    }
    return Reply::error(503, "too many event feed connections, retry later");
  }

  Reply too_many_feeds(const FeedStart& start) const {
    const ApiConfig& config = services.config();
    Reply reply = Reply::error(
        429, start.caller.authenticated
                 ? "too many event feeds open for this account (at most " +
                       std::to_string(config.max_feeds_per_account) + ")"
                 : "too many event feeds open from this address (at most " +
                       std::to_string(config.max_feeds_per_address) + ")");
    reply.retry_after_seconds = kFeedRetrySeconds;
    return reply;
  }

  // Sends a handler's reply (or hands an event feed's connection over) and records the request.
  void finish(Http::ResponseWriter& response, Reply reply, const RouteSpec& spec,
              bool with_credentials, Clock::time_point started) {
    reply.private_data = with_credentials;
    if (reply.feed) {
      if (auto refused = hand_over(response, *reply.feed)) reply = std::move(*refused);
    }
    if (!reply.feed) send_reply(response, reply);
    const std::chrono::duration<double> took = Clock::now() - started;
    record(services.metrics(), spec.path, spec.method, reply.status, took.count());
    spdlog::debug("request method={} path={} status={} seconds={:.4f}",
                  Http::methodString(spec.method), spec.path, reply.status, took.count());
  }

  Rest::Route::Handler wrap(const RouteSpec& spec) {
    return [this, spec, names = param_names(spec.path)](const Rest::Request& http,
                                                        Http::ResponseWriter response) {
      const auto started = Clock::now();
      Arrival arrival = arrive(services, spec, http);
      const bool with_credentials = authorization_header(http).has_value();
      if (auto username =
              username_to_check(arrival.authentication, spec.handler == login, http.body())) {
        check_password_first(spec, names, http, std::move(response), std::move(arrival), *username,
                             started);
      } else {
        finish(response, dispatch(services, spec, names, http, arrival), spec, with_credentials,
               started);
      }
      return Rest::Route::Result::Ok;
    };
  }

  // A request that presents a password. Its attempt is admitted here, so that a throttled one
  // costs no hash and never waits for a check thread; then the whole request runs on a
  // password-check thread, which sends the reply. When none is free and the queue is full: a
  // 429 at once, rather than a request thread waiting.
  void check_password_first(const RouteSpec& spec, const std::vector<std::string>& names,
                            const Rest::Request& http, Http::ResponseWriter response,
                            Arrival arrival, const std::string& username,
                            Clock::time_point started) {
    auto gate = std::make_shared<PasswordGate>(http.address().host());
    // The job must be copyable (std::function); the writer is move-only.
    auto writer = std::make_shared<Http::ResponseWriter>(std::move(response));
    if (auto refused = admit(*gate, username)) {
      finish(*writer, Reply::error(*refused), spec, true, started);
      return;
    }
    arrival.passwords = gate.get();
    auto job = [this, spec, names, http, writer, arrival, gate, started] {
      Reply reply = dispatch(services, spec, names, http, arrival);
      gate->release_unused(services);
      finish(*writer, std::move(reply), spec, true, started);
    };
    // The answer comes from another thread: the connection must not answer a later request first.
    answer_later(*writer);
    if (services.password_checks().try_post(std::move(job))) return;
    gate->release_unused(services);
    services.metrics().inc(kLoginsThrottledMetric, R"(reason="busy")");
    Reply busy = Reply::error(429, "the server is busy checking passwords; retry in 1 s");
    busy.retry_after_seconds = 1;
    finish(*writer, std::move(busy), spec, true, started);
  }

  // The login throttle's answer for one attempt; a failure of the throttle itself is a 500.
  std::optional<HttpError> admit(PasswordGate& gate, const std::string& username) {
    try {
      return gate.admit(services, username);
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception admitting a login error={}", log_quote(e.what()));
      return HttpError{500, "internal error"};
    }
  }

  void setup_routes() {
    for (const auto& spec : routes()) router.addRoute(spec.method, spec.path, wrap(spec));
    add_method_not_allowed_routes();
    Rest::Routes::NotFound(router,
                           [this](const Rest::Request& http, Http::ResponseWriter response) {
                             send_reply(response, Reply::error(404, "no such endpoint"));
                             record(services.metrics(), "unmatched", http.method(), 404, 0);
                             return Rest::Route::Result::Ok;
                           });
  }

  // Pistache answers a known path with another method by a plain-text 405; registering the
  // other methods ourselves keeps every error body JSON.
  void add_method_not_allowed_routes() {
    std::map<std::string, std::vector<Http::Method>> allowed;
    for (const auto& spec : routes()) allowed[spec.path].push_back(spec.method);
    for (const auto& [path, methods] : allowed) {
      std::string allow;
      for (auto method : methods) {
        allow += (allow.empty() ? "" : ", ") + std::string(Http::methodString(method));
      }
      for (auto method : {Http::Method::Get, Http::Method::Post, Http::Method::Put,
                          Http::Method::Patch, Http::Method::Delete}) {
        if (std::find(methods.begin(), methods.end(), method) != methods.end()) continue;
        router.addRoute(method, path,
                        [this, route = path, allow, methods = methods](
                            const Rest::Request& http, Http::ResponseWriter response) {
                          response.headers().add<Http::Header::Allow>(methods);
                          send_reply(response,
                               Reply::error(405, "method not allowed (allowed: " + allow + ")"));
                          record(services.metrics(), route, http.method(), 405, 0);
                          return Rest::Route::Result::Ok;
                        });
      }
    }
  }

  Services services;
  FeedHub feeds;
  Rest::Router router;
  std::unique_ptr<Http::Endpoint> endpoint;
  bool running = false;
};

Server::Server(const ApiConfig& config, core::Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, metrics)) {}

Server::~Server() { shutdown(); }

void Server::start() {
  const ApiConfig& config = impl_->services.config();
  auto listen = parse_listen(config.listen);
  if (!listen) throw std::runtime_error("bad listen address '" + config.listen + "'");
  impl_->setup_routes();
  install_checked_headers();
  impl_->endpoint = std::make_unique<Http::Endpoint>(Address(listen->host, Port(listen->port)));
  // Pistache's limit counts the request line and headers too: a body at our limit must fit.
  const FramingLimits limits{kMaxHeadBytes, config.max_request_bytes()};
  auto options = Http::Endpoint::options()
                     .threads(config.threads)
                     .flags(Tcp::Options::ReuseAddr)
                     .maxRequestSize(limits.max_head_bytes + limits.max_body_bytes);
  impl_->endpoint->init(options);
  impl_->endpoint->setHandler(
      Http::make_handler<FramingRouterHandler>(impl_->router, limits));
  impl_->feeds.start();
  impl_->endpoint->serveThreaded();
  impl_->running = true;
}

void Server::shutdown() {
  if (!impl_->running) return;
  impl_->running = false;
  impl_->feeds.stop();  // First: ends the feeds' responses while the endpoint still runs.
  // Then the logins in hand: their replies, too, go out through the endpoint.
  impl_->services.password_checks().stop();
  impl_->endpoint->shutdown();
}

}  // namespace api
