// HTTP/1.1 message framing (RFC 9112), before any parser sees a byte: where one request ends and
// the next begins, and which requests must be refused because their framing is unclear. Pure and
// independent of the HTTP library; server.cc feeds each complete request to Pistache, whose own
// framing is unsafe (it parses the body of a refused request as the next request, drops the
// second of two requests sent in one write, never answers a request line it cannot read, and
// accepts conflicting Content-Length headers).
#pragma once

#include <cstddef>
#include <string>
#include <variant>

namespace api {

struct FramingLimits {
  size_t max_head_bytes = 64 * 1024;  // Request line and headers; more is a 431.
  size_t max_body_bytes = 1 << 20;    // Content-Length above this is a 413.
};

// One whole request (head and body), as the client sent it.
struct RequestFrame {
  std::string bytes;
  // The connection ends after the answer: Connection: close, HTTP/1.0 without keep-alive, or a
  // HEAD request (whose answer carries a body that the client would not read).
  bool close_after = false;
};

// A request that cannot be framed: answer with this status and close the connection, since
// where the next request would start is unknown.
struct FramingError {
  int status = 400;
  std::string message;
};

// Nothing complete yet: wait for more bytes.
struct NeedMore {};

using Framed = std::variant<NeedMore, RequestFrame, FramingError>;

// The bytes of one connection, in the order received. Once next() returned a FramingError the
// framer stays failed: everything after it is to be discarded.
class RequestFramer {
 public:
  explicit RequestFramer(FramingLimits limits = {}) : limits_(limits) {}

  void append(const char* data, size_t size) { buffer_.append(data, size); }
  // The next request, if it is complete; it is removed from the buffer.
  Framed next();
  size_t buffered() const { return buffer_.size(); }

 private:
  Framed read_head();

  FramingLimits limits_;
  std::string buffer_;
  // Once the head of the next request is read: its length, its body's and close_after.
  size_t head_bytes_ = 0;
  size_t body_bytes_ = 0;
  bool close_after_ = false;
  bool failed_ = false;
};

}  // namespace api
