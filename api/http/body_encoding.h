// Content coding and validators for large, mostly constant bodies (the cached scoreboard).
// gzip: the constant tail is compressed once; every response puts a small per-request prefix in
// front of it without compressing the tail again, and the result is one ordinary gzip member
// (RFC 1952). ETag: If-None-Match matching (RFC 9110 13.1.2, weak comparison).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace api {

// `text` as a raw deflate stream (its last block final), with what the gzip trailer needs.
struct DeflatedTail {
  std::string deflated;
  uint32_t crc32 = 0;
  size_t size = 0;  // Bytes of the uncompressed text.
};

DeflatedTail deflate_tail(std::string_view text);

// gzip of prefix + tail: a gzip header, the prefix as a stored (uncompressed) deflate block,
// then the tail's deflate blocks, and the trailer of the whole text.
std::string gzip_with_prefix(std::string_view prefix, const DeflatedTail& tail);

// Whether an Accept-Encoding header value accepts gzip (gzip, x-gzip or *, with q > 0).
bool accepts_gzip(std::string_view accept_encoding);

// Whether an If-None-Match header value ("*" or a list of entity tags) matches `etag`; weak
// comparison (W/ is ignored on both sides).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace api
