#include "http/http_connection.h"

#include <fcntl.h>
#include <pistache/peer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "core/timefmt.h"
#include "resources/serialize.h"

namespace api {

using namespace Pistache;

namespace {

// After the last answer of a closing connection, what the client still sends (the rest of a
// refused body, say) is read and dropped for a while (RFC 9112 9.6): closing with unread input
// would reset the connection, and the client could lose the answer before reading it.
constexpr int64_t kLingerMs = 30'000;
constexpr const char* kStateKey = "judge.connection";

// Headers Pistache 0.0.5 has no class for. It does not write Raw headers of a response, and its
// CUSTOM_HEADER cannot name a header with dashes.
#define TEXT_HEADER(Class, header_name)                                  \
  class Class : public Http::Header::Header {                            \
   public:                                                               \
    NAME(header_name)                                                    \
    explicit Class(std::string value = "") : value_(std::move(value)) {} \
    void parse(const std::string& data) override { value_ = data; }      \
    void write(std::ostream& os) const override { os << value_; }        \
                                                                         \
   private:                                                              \
    std::string value_;                                                  \
  };
TEXT_HEADER(WwwAuthenticate, "WWW-Authenticate")  // RFC 9110 requires it on a 401.
TEXT_HEADER(ETag, "ETag")
// GET state: where a page's event feed starts (handlers.h, Reply::event_token).
TEXT_HEADER(EventToken, "X-Event-Token")
// RFC 9110 6.6.1: a server with a clock sends Date (the pages correct their clocks by it).
// Pistache's own Date class writes fractional seconds and "UTC", which is not an HTTP date.
TEXT_HEADER(HttpDate, "Date")
TEXT_HEADER(CacheControl, "Cache-Control")  // Pistache's class cannot write "private, no-cache".
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
#define FIXED_HEADER(Class, header_name, value)                  \
  class Class : public Http::Header::Header {                    \
   public:                                                       \
    NAME(header_name)                                            \
    void parse(const std::string&) override {}                   \
    void write(std::ostream& os) const override { os << value; } \
  };
// The pages load scripts and styles only from here and call only this API.
FIXED_HEADER(PageSecurityPolicy, "Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
             "frame-ancestors 'none'; form-action 'self'")
FIXED_HEADER(NoSniff, "X-Content-Type-Options", "nosniff")
FIXED_HEADER(VaryAcceptEncoding, "Vary", "Accept-Encoding")
#undef FIXED_HEADER

class CheckedContentType : public Http::Header::ContentType {
 public:
  void parseRaw(const char* text, size_t length) override {
    try {
      ContentType::parseRaw(text, length);
    } catch (const std::exception&) {
      throw Http::HttpError(415, "malformed Content-Type header");
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

void add_headers(Http::ResponseWriter& response, const Reply& reply) {
  add_content_type(response, reply);
  auto& headers = response.headers();
  headers.add<HttpDate>(imf_fixdate(std::time(nullptr)));
  headers.add<NoSniff>();
  // Pages and public answers may be stored but are checked on every use; what a login sees is
  // for that browser only.
  headers.add<CacheControl>(reply.private_data ? "private, no-cache" : "no-cache");
  if (reply.page) headers.add<PageSecurityPolicy>();
  if (!reply.location.empty()) headers.add<Http::Header::Location>(reply.location);
  if (reply.gzip) headers.add<Http::Header::ContentEncoding>(Http::Header::Encoding::Gzip);
  if (reply.vary_encoding) headers.add<VaryAcceptEncoding>();
  if (!reply.etag.empty()) headers.add<ETag>(reply.etag);
  if (!reply.event_token.empty()) headers.add<EventToken>(reply.event_token);
  if (reply.retry_after_seconds > 0) headers.add<RetryAfter>(reply.retry_after_seconds);
  if (reply.status == 401) {
    headers.add<WwwAuthenticate>(R"(Bearer realm="contest-judge", Basic realm="contest-judge")");
  }
}

int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

// Read and written on the connection's Pistache thread; the flags also by the thread that sends
// an answer later (answer_later) or hands the connection over, hence atomic.
struct ConnectionState {
  ConnectionState(FramingLimits limits, int fd)
      : framer(limits), socket(::fcntl(fd, F_DUPFD_CLOEXEC, 0)) {}
  ~ConnectionState() {
    if (socket >= 0) ::close(socket);
  }
  ConnectionState(const ConnectionState&) = delete;
  ConnectionState& operator=(const ConnectionState&) = delete;

  // Ends the connection in the given direction(s). Through our own descriptor of the socket:
  // Pistache's number may already name another connection once Pistache closed it (an answer
  // is written, and its promise resolved, on another thread than the one that closes).
  void shut(int how) const {
    if (socket >= 0) ::shutdown(socket, how);
  }

  RequestFramer framer;
  const int socket;
  std::atomic<bool> close_after_answer{false};  // The request being answered ends the connection.
  std::atomic<bool> handed_over{false};         // The event feed hub writes on it now.
  std::atomic<int64_t> closing_since_ms{0};     // Non-zero: no more requests are read.
};

namespace {

std::shared_ptr<ConnectionState> state_of(const std::shared_ptr<Tcp::Peer>& peer) {
  return std::static_pointer_cast<ConnectionState>(peer->tryGetData(kStateKey));
}

// The client sees the end of the answers; what it still sends is dropped until it closes.
void end_after(Async::Promise<ssize_t> sent, std::weak_ptr<ConnectionState> weak) {
  auto shut = [weak] {
    if (auto state = weak.lock()) state->shut(SHUT_WR);
  };
  sent.then([shut](ssize_t) { shut(); }, [shut](std::exception_ptr) { shut(); });
}

}  // namespace

void send_reply(Http::ResponseWriter& response, const Reply& reply) {
  std::shared_ptr<Tcp::Peer> peer;
  try {
    peer = response.peer();
  } catch (const std::exception&) {
    return;  // The client is gone.
  }
  auto state = state_of(peer);
  const bool close = !state || state->close_after_answer;
  add_headers(response, reply);
  response.headers().add<Http::Header::Connection>(close ? Http::ConnectionControl::Close
                                                         : Http::ConnectionControl::KeepAlive);
  auto sent = response.send(static_cast<Http::Code>(reply.status), reply.body);
  if (close && state) end_after(std::move(sent), state);
}

void hand_over_connection(const std::shared_ptr<Tcp::Peer>& peer) {
  if (auto state = state_of(peer)) state->handed_over = true;
}

void answer_later(Http::ResponseWriter& response) {
  try {
    if (auto state = state_of(response.peer())) state->close_after_answer = true;
  } catch (const std::exception&) {
    // The client is gone: there is nothing to keep in order.
  }
}

FramingRouterHandler::FramingRouterHandler(const Rest::Router& routes, FramingLimits limits)
    : RouterHandler(routes), limits_(limits) {}

// What Pistache's own onConnection does (its parser, which its timeouts read), plus our state.
void FramingRouterHandler::onConnection(const std::shared_ptr<Tcp::Peer>& peer) {
  peer->putData(ParserData, std::make_shared<Http::RequestParser>(getMaxRequestSize()));
  peer->putData(kStateKey, std::make_shared<ConnectionState>(limits_, peer->fd()));
}

void FramingRouterHandler::onInput(const char* buffer, size_t length,
                                   const std::shared_ptr<Tcp::Peer>& peer) {
  auto state = state_of(peer);
  if (!state || state->handed_over) return;
  if (state->closing_since_ms != 0) {
    if (steady_ms() - state->closing_since_ms > kLingerMs) {
      state->shut(SHUT_RDWR);  // Pistache sees the end and closes its descriptor.
    }
    return;
  }
  state->framer.append(buffer, length);
  while (state->closing_since_ms == 0 && !state->handed_over) {
    Framed next = state->framer.next();
    if (auto* error = std::get_if<FramingError>(&next)) {
      return refuse(peer, *state, error->status, error->message);
    }
    auto* frame = std::get_if<RequestFrame>(&next);
    if (!frame) return;
    serve(std::move(*frame), peer, *state);
  }
}

// Pistache parses one whole request (it never sees the next one's bytes) and routes it.
void FramingRouterHandler::serve(RequestFrame frame, const std::shared_ptr<Tcp::Peer>& peer,
                                 ConnectionState& state) {
  auto parser = getParser(peer);
  auto& request = parser->request;
  state.close_after_answer = frame.close_after;
  try {
    if (!parser->feed(frame.bytes.data(), frame.bytes.size()) ||
        parser->parse() != Http::Private::State::Done) {
      parser->reset();
      return refuse(peer, state, 400, "malformed request");
    }
    request.copyAddress(peer->address());
    peer->setIdle(false);
    onRequest(request, Http::ResponseWriter(request.version(), transport(), this, peer));
    parser->reset();
  } catch (const Http::HttpError& e) {
    parser->reset();
    return refuse(peer, state, e.code(), e.reason());
  } catch (const std::exception&) {
    parser->reset();
    return refuse(peer, state, 400, "malformed request header");
  }
  if (state.close_after_answer) state.closing_since_ms = steady_ms();
}

void FramingRouterHandler::refuse(const std::shared_ptr<Tcp::Peer>& peer, ConnectionState& state,
                                  int status, std::string_view message) {
  state.close_after_answer = true;
  state.closing_since_ms = steady_ms();
  Http::ResponseWriter response(Http::Version::Http11, transport(), this, peer);
  send_reply(response, Reply::error(status, message));
}

void install_checked_headers() {
  static std::once_flag once;
  std::call_once(once, [] {
    header_factories(Http::Header::Registry::instance())[Http::Header::ContentType::Name] = [] {
      return std::make_unique<CheckedContentType>();
    };
  });
}

}  // namespace api
