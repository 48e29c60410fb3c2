#include "http/http_framing.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace api {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kEndOfHead = "\r\n\r\n";

bool is_tchar(char c) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         kSymbols.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_tchar);
}

// A field value's bytes (RFC 9110 5.5): visible ASCII, space, tab and obs-text; no other
// control character (CR, LF and NUL above all).
bool is_field_value(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= 0x20 && byte != 0x7f);
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Calls fn(element) for each element of a comma-separated list, trimmed (empty ones too).
template <class Fn>
void for_each_element(std::string_view list, Fn fn) {
  while (true) {
    size_t comma = list.find(',');
    fn(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

// Decimal digits; a number too large for uint64 is UINT64_MAX (it is refused as too large).
std::optional<uint64_t> parse_decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(c - '0');
    value = value > (UINT64_MAX - digit) / 10 ? UINT64_MAX : value * 10 + digit;
  }
  return value;
}

struct RequestLine {
  std::string_view method;
  bool http10 = false;
};

// method SP request-target SP HTTP-version (RFC 9112 3).
std::variant<RequestLine, FramingError> parse_request_line(std::string_view line) {
  const FramingError malformed{400, "malformed request line: expected METHOD TARGET HTTP/1.1"};
  size_t first = line.find(' ');
  size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos) return malformed;
  std::string_view method = line.substr(0, first);
  std::string_view target = line.substr(first + 1, second - first - 1);
  std::string_view version = line.substr(second + 1);
  bool target_ok = !target.empty() && std::all_of(target.begin(), target.end(),
                                                  [](char c) { return c > 0x20 && c < 0x7f; });
  bool version_ok = version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
                    std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.' &&
                    std::isdigit(static_cast<unsigned char>(version[7]));
  if (!is_token(method) || !target_ok || !version_ok) return malformed;
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return FramingError{
        400, "HTTP version not supported: use HTTP/1.1"};  // Not 505: bad input is a 4xx.
  }
  return RequestLine{method, version == "HTTP/1.0"};
}

// What framing needs of the header fields.
struct FramingHeaders {
  std::vector<std::string_view> content_lengths;  // Every element of every Content-Length.
  int hosts = 0;
  bool transfer_encoding = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
};

std::optional<FramingError> read_field(std::string_view line, FramingHeaders& headers) {
  if (line.front() == ' ' || line.front() == '\t') {
    return FramingError{400, "obsolete line folding in the request headers"};
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return FramingError{400, "malformed header line: expected Name: value"};
  }
  std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
  if (!is_field_value(value)) {
    return FramingError{400, "header " + std::string(name) + ": control character in the value"};
  }
  if (iequals(name, "Content-Length")) {
    for_each_element(value, [&](std::string_view v) { headers.content_lengths.push_back(v); });
  } else if (iequals(name, "Transfer-Encoding")) {
    headers.transfer_encoding = true;
  } else if (iequals(name, "Host")) {
    ++headers.hosts;
  } else if (iequals(name, "Connection")) {
    for_each_element(value, [&](std::string_view option) {
      headers.connection_close |= iequals(option, "close");
      headers.connection_keep_alive |= iequals(option, "keep-alive");
    });
  }
  return std::nullopt;
}

// The body's length from the Content-Length values: all equal (RFC 9112 6.3), or a 400.
std::variant<uint64_t, FramingError> body_length(const FramingHeaders& headers) {
  std::optional<uint64_t> length;
  for (auto text : headers.content_lengths) {
    auto value = parse_decimal(text);
    if (!value) return FramingError{400, "malformed Content-Length header"};
    if (length && *length != *value) {
      return FramingError{400, "conflicting Content-Length headers"};
    }
    length = value;
  }
  return length.value_or(0);
}

}  // namespace

Framed RequestFramer::read_head() {
  // RFC 9112 2.2: empty lines before a request line are ignored.
  while (buffer_.compare(0, kCrlf.size(), kCrlf) == 0) buffer_.erase(0, kCrlf.size());
  size_t line_end = buffer_.find(kCrlf);
  size_t end = buffer_.find(kEndOfHead);
  if (line_end == std::string::npos || end == std::string::npos) {
    // Refuse a bad request line at once: its client may wait for an answer, not send more.
    if (line_end != std::string::npos) {
      auto line = parse_request_line(std::string_view(buffer_).substr(0, line_end));
      if (auto* error = std::get_if<FramingError>(&line)) return *error;
    }
    if (buffer_.size() > limits_.max_head_bytes) {
      return FramingError{
          431, "request head larger than " + std::to_string(limits_.max_head_bytes) + " bytes"};
    }
    return NeedMore{};
  }
  if (end + kEndOfHead.size() > limits_.max_head_bytes) {
    return FramingError{
        431, "request head larger than " + std::to_string(limits_.max_head_bytes) + " bytes"};
  }
  std::string_view head = std::string_view(buffer_).substr(0, end);
  auto line = parse_request_line(head.substr(0, line_end));
  if (auto* error = std::get_if<FramingError>(&line)) return *error;
  FramingHeaders headers;
  for (size_t pos = line_end + kCrlf.size(); pos < head.size();) {
    size_t next = std::min(head.find(kCrlf, pos), head.size());
    if (auto error = read_field(head.substr(pos, next - pos), headers)) return *error;
    pos = next + kCrlf.size();
  }
  const auto& request = std::get<RequestLine>(line);
  if (headers.transfer_encoding) {
    return FramingError{411, "Transfer-Encoding is not supported: send a Content-Length"};
  }
  if (headers.hosts > 1 || (headers.hosts == 0 && !request.http10)) {
    return FramingError{400, "an HTTP/1.1 request needs exactly one Host header"};
  }
  auto length = body_length(headers);
  if (auto* error = std::get_if<FramingError>(&length)) return *error;
  if (std::get<uint64_t>(length) > limits_.max_body_bytes) {
    return FramingError{413, "request body larger than the limit of " +
                                 std::to_string(limits_.max_body_bytes) + " bytes"};
  }
  head_bytes_ = end + kEndOfHead.size();
  body_bytes_ = static_cast<size_t>(std::get<uint64_t>(length));
  close_after_ = (request.http10 ? !headers.connection_keep_alive : headers.connection_close) ||
                 request.method == "HEAD";
  return NeedMore{};
}

Framed RequestFramer::next() {
  if (failed_) return NeedMore{};
  if (head_bytes_ == 0) {
    Framed head = read_head();
    if (std::holds_alternative<FramingError>(head)) {
      failed_ = true;
      buffer_.clear();
      return head;
    }
    if (head_bytes_ == 0) return NeedMore{};
  }
  const size_t total = head_bytes_ + body_bytes_;
  if (buffer_.size() < total) return NeedMore{};
  RequestFrame frame{buffer_.substr(0, total), close_after_};
  buffer_.erase(0, total);
  head_bytes_ = body_bytes_ = 0;
  close_after_ = false;
  return frame;
}

}  // namespace api
