// Pistache glue: one table of routes, and one wrapper around every handler that authenticates,
// validates path ids, maps infrastructure exceptions to 503 and anything unexpected to a generic
// 500, and records request metrics. Handlers run on Pistache's threads and never block on judging;
// a request presenting a password runs on a password-check thread instead (auth.h), which sends
// its reply.
#include "server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <fcntl.h>
#include <pistache/router.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "auth.h"
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "feed_hub.h"
#include "handlers.h"
#include "serialize.h"

namespace api {
namespace {

using namespace Pistache;

// Headers Pistache 0.0.5 has no class for. It does not write Raw headers of a response, and its
// CUSTOM_HEADER cannot name a header with dashes.
#define TEXT_HEADER(Class, header_name)                                      \
  class Class : public Http::Header::Header {                               \
   public:                                                                  \
    NAME(header_name)                                                       \
    explicit Class(std::string value = "") : value_(std::move(value)) {}    \
    void parse(const std::string& data) override { value_ = data; }         \
    void write(std::ostream& os) const override { os << value_; }           \
                                                                            \
   private:                                                                 \
    std::string value_;                                                     \
  };
TEXT_HEADER(WwwAuthenticate, "WWW-Authenticate")  // RFC 9110 requires it on a 401.
TEXT_HEADER(ETag, "ETag")
// GET state: where a page's event feed starts (handlers.h, Reply::event_token).
TEXT_HEADER(EventToken, "X-Event-Token")
// RFC 9110 6.6.1: a server with a clock sends Date (the pages correct their clocks by it).
// Pistache's own Date class writes fractional seconds and "UTC", which is not an HTTP date.
TEXT_HEADER(HttpDate, "Date")
#undef TEXT_HEADER

// IMF-fixdate (RFC 9110 5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT"; C-locale names.
std::string imf_fixdate(std::time_t now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

// Retry-After in seconds (RFC 9110 10.2.3), on 429s; Pistache 0.0.5 has no class for it.
class RetryAfter : public Http::Header::Header {
 public:
  NAME("Retry-After")
  explicit RetryAfter(int seconds = 0) : seconds_(seconds) {}
  void parse(const std::string& data) override { seconds_ = std::atoi(data.c_str()); }
  void write(std::ostream& os) const override { os << seconds_; }

 private:
  int seconds_;
};

// A header with a fixed value; Pistache writes only headers that are classes.
#define FIXED_HEADER(Class, header_name, value)                            \
  class Class : public Http::Header::Header {                             \
   public:                                                                \
    NAME(header_name)                                                     \
    void parse(const std::string&) override {}                            \
    void write(std::ostream& os) const override { os << value; }          \
  };
// The pages load scripts and styles only from here and call only this API.
FIXED_HEADER(PageSecurityPolicy, "Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
             "frame-ancestors 'none'; form-action 'self'")
FIXED_HEADER(NoSniff, "X-Content-Type-Options", "nosniff")
FIXED_HEADER(VaryAcceptEncoding, "Vary", "Accept-Encoding")
#undef FIXED_HEADER

// Pistache parses Content-Length and Transfer-Encoding itself and reserves whatever body size
// a client announces before reading it: a huge Content-Length aborts the ASan build and is a 500
// carrying library text otherwise, as is a bad chunk size; its 4xx bodies are plain text. It has
// no hook before that, but it makes every header through a registry of header types. These
// replacements check the values while the headers are parsed and throw an Http::HttpError with
// our JSON error body, which Pistache sends as is (without a Content-Type).
Http::HttpError json_http_error(int status, std::string_view message) {
  return Http::HttpError(status, error_body(status, message));
}

class BoundedContentLength : public Http::Header::ContentLength {
 public:
  explicit BoundedContentLength(size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}
  void parse(const std::string& data) override {
    auto bytes = parse_content_length(data);
    if (!bytes) throw json_http_error(400, "malformed Content-Length header");
    if (*bytes > max_body_bytes_) {
      throw json_http_error(413, "request body larger than the limit of " +
                                     std::to_string(max_body_bytes_) + " bytes");
    }
    ContentLength::parse(data);
  }

 private:
  size_t max_body_bytes_;
};

// Chunked bodies would bypass the size check above (and their sizes are not checked either).
class RefusedTransferEncoding : public Http::Header::TransferEncoding {
 public:
  void parseRaw(const char*, size_t) override {
    throw json_http_error(411, "Transfer-Encoding is not supported: send a Content-Length");
  }
};

class CheckedContentType : public Http::Header::ContentType {
 public:
  void parseRaw(const char* text, size_t length) override {
    try {
      ContentType::parseRaw(text, length);
    } catch (const std::exception&) {
      throw json_http_error(415, "malformed Content-Type header");
    }
  }
};

// The registry's map is private. Access checks do not apply to the names in an explicit
// instantiation, so this one defines a friend function that returns the map.
using HeaderFactories =
    std::unordered_map<std::string, std::function<std::unique_ptr<Http::Header::Header>()>,
                       Http::Header::LowercaseHash, Http::Header::LowercaseEqual>;
template <HeaderFactories Http::Header::Registry::*Member>
struct RegistryAccess {
  friend HeaderFactories& header_factories(Http::Header::Registry& registry) {
    return registry.*Member;
  }
};
template struct RegistryAccess<&Http::Header::Registry::registry>;
HeaderFactories& header_factories(Http::Header::Registry& registry);

// Once per process (before any server thread parses a request): the limit of the first server.
void install_checked_headers(size_t max_body_bytes) {
  static std::once_flag once;
  std::call_once(once, [max_body_bytes] {
    auto& factories = header_factories(Http::Header::Registry::instance());
    factories[Http::Header::ContentLength::Name] = [max_body_bytes] {
      return std::make_unique<BoundedContentLength>(max_body_bytes);
    };
    factories[Http::Header::TransferEncoding::Name] = [] {
      return std::make_unique<RefusedTransferEncoding>();
    };
    factories[Http::Header::ContentType::Name] = [] {
      return std::make_unique<CheckedContentType>();
    };
  });
}

struct RouteSpec {
  Http::Method method;
  const char* path;
  Handler handler;
  bool accepts_zip = false;  // The body may also be application/zip (problem packages).
};

constexpr const char* kContest = "/api/contests/:cid";
// Room for the request line and headers on top of the body limit (a longer head is refused by
// Pistache with a plain-text 413).
constexpr size_t kMaxHeaderBytes = 64 * 1024;

const std::vector<RouteSpec>& routes() {
  using M = Http::Method;
  static const std::vector<RouteSpec> kRoutes = {
      {M::Get, "/healthz", healthz},
      {M::Get, "/readyz", readyz},
      {M::Get, "/metrics", metrics},
      {M::Post, "/api/auth/login", login},
      {M::Get, "/api", api_info},
      {M::Post, "/api/users", create_user},
      {M::Get, "/api/contests", list_contests},
      {M::Post, "/api/contests", create_contest},
      {M::Get, kContest, get_contest},
      {M::Get, "/api/contests/:cid/access", get_access},
      {M::Get, "/api/contests/:cid/accounts", list_accounts},
      {M::Get, "/api/contests/:cid/accounts/:id", get_account},
      {M::Get, "/api/contests/:cid/account", get_own_account},
      {M::Get, "/api/contests/:cid/organizations", list_organizations},
      {M::Post, "/api/contests/:cid/organizations", create_organization},
      {M::Get, "/api/contests/:cid/organizations/:id", get_organization},
      {M::Get, "/api/contests/:cid/groups", list_groups},
      {M::Post, "/api/contests/:cid/groups", create_group},
      {M::Get, "/api/contests/:cid/groups/:id", get_group},
      {M::Patch, kContest, patch_contest},
      {M::Get, "/api/contests/:cid/state", get_state},
      {M::Get, "/api/contests/:cid/scoreboard", get_scoreboard},
      {M::Get, "/api/contests/:cid/problems", list_problems},
      {M::Post, "/api/contests/:cid/problems", create_problem, true},
      {M::Get, "/api/contests/:cid/problems/:id", get_problem},
      {M::Get, "/api/contests/:cid/problems/:pid/jury-submissions", list_jury_submissions},
      {M::Get, "/api/contests/:cid/languages", list_languages},
      {M::Get, "/api/contests/:cid/languages/:id", get_language},
      {M::Get, "/api/contests/:cid/judgement-types", list_judgement_types},
      {M::Get, "/api/contests/:cid/judgement-types/:id", get_judgement_type},
      {M::Get, "/api/contests/:cid/teams", list_teams},
      {M::Post, "/api/contests/:cid/teams", create_team},
      {M::Get, "/api/contests/:cid/teams/:id", get_team},
      {M::Get, "/api/contests/:cid/submissions", list_submissions},
      {M::Post, "/api/contests/:cid/submissions", create_submission},
      {M::Get, "/api/contests/:cid/submissions/:id", get_submission},
      {M::Get, "/api/contests/:cid/submissions/:id/files", get_submission_files},
      {M::Get, "/api/contests/:cid/judgements", list_judgements},
      {M::Get, "/api/contests/:cid/judgements/:id", get_judgement},
      {M::Put, "/api/contests/:cid/judgements/:id", put_judgement},
      {M::Get, "/api/contests/:cid/event-feed", open_event_feed},
      {M::Post, "/api/contests/:cid/rejudgings", create_rejudging},
      {M::Get, "/api/contests/:cid/runs", list_runs},
      {M::Get, "/api/contests/:cid/runs/:id", get_run},
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

// How far a request got before dispatch: its Authorization header read without hashing, and
// the gate for its passwords when it runs on a password-check thread.
struct Arrival {
  int64_t now_ms = 0;
  Authentication authentication;
  PasswordGate* passwords = nullptr;
};

// Turns a Pistache request into our Request: caller authenticated, path ids checked, a body
// declared as JSON (or as a zip where the route accepts one).
Result<Request> make_request(Services& services, const Rest::Request& http,
                             const std::vector<std::string>& names, const RouteSpec& spec,
                             const Arrival& arrival) {
  Request request;
  request.now_ms = arrival.now_ms;
  request.passwords = arrival.passwords;
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
    request.query.emplace(it->first, it->second);
  }
  request.body = http.body();
  request.accept_encoding = raw_header(http, "Accept-Encoding");
  request.if_none_match = raw_header(http, "If-None-Match");
  request.client_address = http.address().host();
  return request;
}

// The Authorization header read without hashing; an unexpected failure is a logged 500.
Authentication read_authorization(Services& services, const Rest::Request& http, int64_t now_ms) {
  try {
    return authenticate_without_hashing(services, authorization_header(http), now_ms);
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception reading credentials error={}", log_quote(e.what()));
    return HttpError{500, "internal error"};
  }
}

// Runs one handler; nothing escapes: bad input was handled by the handler, infrastructure
// failures become 503, anything else a logged, generic 500.
Reply dispatch(Services& services, const RouteSpec& spec, const std::vector<std::string>& names,
               const Rest::Request& http, const Arrival& arrival) {
  try {
    auto request = make_request(services, http, names, spec, arrival);
    if (!request.ok()) return Reply::error(request.error());
    return spec.handler(services, request.value());
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

void add_content_type(Http::ResponseWriter& response, const Reply& reply) {
  if (!reply.content_type.empty()) {
    response.headers().add<Http::Header::ContentType>(
        Http::Mime::MediaType(reply.content_type, Http::Mime::MediaType::DontParse));
    return;
  }
  switch (reply.type) {
    case Reply::Type::Json:
      response.headers().add<Http::Header::ContentType>(MIME(Application, Json));
      break;
    case Reply::Type::Zip:
      response.headers().add<Http::Header::ContentType>(
          Http::Mime::MediaType("application/zip", Http::Mime::MediaType::DontParse));
      break;
    case Reply::Type::Text:
      response.headers().add<Http::Header::ContentType>(MIME(Text, Plain));
      break;
  }
}

void send(Http::ResponseWriter& response, const Reply& reply) {
  add_content_type(response, reply);
  response.headers().add<HttpDate>(imf_fixdate(std::time(nullptr)));
  if (reply.page) {
    response.headers().add<PageSecurityPolicy>();
    response.headers().add<NoSniff>();
    response.headers().add<Http::Header::CacheControl>(Http::CacheDirective::NoCache);
  }
  if (!reply.location.empty()) response.headers().add<Http::Header::Location>(reply.location);
  if (reply.gzip) {
    response.headers().add<Http::Header::ContentEncoding>(Http::Header::Encoding::Gzip);
  }
  if (reply.vary_encoding) response.headers().add<VaryAcceptEncoding>();
  if (!reply.etag.empty()) response.headers().add<ETag>(reply.etag);
  if (!reply.event_token.empty()) response.headers().add<EventToken>(reply.event_token);
  if (reply.retry_after_seconds > 0) {
    response.headers().add<RetryAfter>(reply.retry_after_seconds);
  }
  if (reply.status == 401) {
    response.headers().add<WwwAuthenticate>(
        R"(Bearer realm="contest-judge", Basic realm="contest-judge")");
  }
  response.send(static_cast<Http::Code>(reply.status), reply.body);
}

// Pistache 0.0.5 answers "Connection: Close" to every request without a Connection header,
// HTTP/1.1 ones included, and clients (curl, wrk, Go) then open a new connection per request.
// HTTP/1.1 connections are persistent unless a side says close (RFC 9112 9.3).
void keep_alive_by_default(const Http::Request& request, Http::ResponseWriter& response) {
  if (request.version() != Http::Version::Http11 ||
      request.headers().tryGet<Http::Header::Connection>())
    return;
  response.headers().remove<Http::Header::Connection>();
  response.headers().add<Http::Header::Connection>(Http::ConnectionControl::KeepAlive);
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
  metrics.describe(kRateLimitUnavailableMetric, "counter",
                   "Submissions let through unlimited because Redis could not be asked.");
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

  // Hands the connection of an accepted event-feed request to the FeedHub; false if it cannot.
  bool hand_over(Http::ResponseWriter& response, const FeedStart& start) {
    int fd = -1;
    try {
      if (auto peer = response.peer()) {
        fd = ::fcntl(peer->fd(), F_DUPFD_CLOEXEC, 0);
        // Pistache answers a request it thinks still pending with a 408 after its header
        // timeout (60 s). Idle, it at most closes its own descriptor after the keep-alive
        // timeout; our duplicate keeps the connection open for the hub.
        peer->setIdle(true);
      }
    } catch (const std::exception&) {
      return false;  // The client is gone already.
    }
    return fd >= 0 && feeds.add(fd, start);
  }

  // Sends a handler's reply (or hands an event feed's connection over) and records the request.
  void finish(Http::ResponseWriter& response, Reply reply, const RouteSpec& spec,
              Clock::time_point started) {
    if (reply.feed && !hand_over(response, *reply.feed)) {
      reply = Reply::error(503, "too many event feed connections, retry later");
    }
    if (!reply.feed) send(response, reply);
    const std::chrono::duration<double> took = Clock::now() - started;
    record(services.metrics(), spec.path, spec.method, reply.status, took.count());
    spdlog::debug("request method={} path={} status={} seconds={:.4f}",
                  Http::methodString(spec.method), spec.path, reply.status, took.count());
  }

  Rest::Route::Handler wrap(const RouteSpec& spec) {
    return [this, spec, names = param_names(spec.path)](const Rest::Request& http,
                                                        Http::ResponseWriter response) {
      const auto started = Clock::now();
      keep_alive_by_default(http, response);
      const int64_t now_ms = core::now_ms();
      Arrival arrival{now_ms, read_authorization(services, http, now_ms)};
      if (auto username =
              username_to_check(arrival.authentication, spec.handler == login, http.body())) {
        check_password_first(spec, names, http, std::move(response), std::move(arrival), *username,
                             started);
      } else {
        finish(response, dispatch(services, spec, names, http, arrival), spec, started);
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
      finish(*writer, Reply::error(*refused), spec, started);
      return;
    }
    arrival.passwords = gate.get();
    auto job = [this, spec, names, http, writer, arrival, gate, started] {
      Reply reply = dispatch(services, spec, names, http, arrival);
      gate->release_unused(services);
      finish(*writer, std::move(reply), spec, started);
    };
    if (services.password_checks().try_post(std::move(job))) return;
    gate->release_unused(services);
    services.metrics().inc(kLoginsThrottledMetric, R"(reason="busy")");
    Reply busy = Reply::error(429, "the server is busy checking passwords; retry in 1 s");
    busy.retry_after_seconds = 1;
    finish(*writer, std::move(busy), spec, started);
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
                             keep_alive_by_default(http, response);
                             send(response, Reply::error(404, "no such endpoint"));
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
                          keep_alive_by_default(http, response);
                          response.headers().add<Http::Header::Allow>(methods);
                          send(response,
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
  install_checked_headers(config.max_request_bytes());
  impl_->endpoint = std::make_unique<Http::Endpoint>(Address(listen->host, Port(listen->port)));
  // Pistache's limit counts the request line and headers too: a body at our limit must fit.
  auto options = Http::Endpoint::options()
                     .threads(config.threads)
                     .flags(Tcp::Options::ReuseAddr)
                     .maxRequestSize(config.max_request_bytes() + kMaxHeaderBytes);
  impl_->endpoint->init(options);
  impl_->endpoint->setHandler(impl_->router.handler());
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
