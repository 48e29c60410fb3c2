#include "http/body_encoding.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace api {
namespace {

// The largest stored block; a longer prefix takes several.
constexpr size_t kMaxStoredBlock = 65535;

void put_le(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// q=0 (with any number of zero decimals) refuses the coding; no q or any other value accepts it.
bool refused(std::string_view params) {
  for (size_t at = 0; at < params.size();) {
    size_t end = params.find(';', at);
    std::string_view param = trim(params.substr(at, end == std::string_view::npos ? end : end - at));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      std::string_view q = trim(param.substr(2));
      return !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return false;
}

}  // namespace

DeflatedTail deflate_tail(std::string_view text) {
  z_stream z{};
  // Raw deflate (negative window bits): the gzip header and trailer are written per response.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  DeflatedTail tail;
  tail.deflated.resize(deflateBound(&z, text.size()));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(tail.deflated.data());
  z.avail_out = static_cast<uInt>(tail.deflated.size());
  const int result = deflate(&z, Z_FINISH);
  tail.deflated.resize(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate failed");
  tail.crc32 = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  tail.size = text.size();
  return tail;
}

std::string gzip_with_prefix(std::string_view prefix, const DeflatedTail& tail) {
  std::string out;
  out.reserve(10 + prefix.size() + 5 * (prefix.size() / kMaxStoredBlock + 1) +
              tail.deflated.size() + 8);
  // Header: magic, deflate, no flags, no mtime, no extra flags, OS unknown.
  out.append("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  for (size_t at = 0; at < prefix.size(); at += kMaxStoredBlock) {
    const auto length = static_cast<uint32_t>(std::min(kMaxStoredBlock, prefix.size() - at));
    out += '\0';  // BFINAL 0, BTYPE 00 (stored), padded to the byte.
    put_le(out, length, 2);
    put_le(out, ~length & 0xffff, 2);
    out.append(prefix.substr(at, length));
  }
  out += tail.deflated;  // Starts on a byte boundary; its last block is final.
  const uLong prefix_crc =
      crc32(0, reinterpret_cast<const Bytef*>(prefix.data()), static_cast<uInt>(prefix.size()));
  put_le(out,
         static_cast<uint32_t>(crc32_combine(prefix_crc, tail.crc32,
                                             static_cast<z_off_t>(tail.size))),
         4);
  put_le(out, static_cast<uint32_t>((prefix.size() + tail.size) & 0xffffffffu), 4);
  return out;
}

// gzip or x-gzip listed decides; otherwise "*" (any coding not listed) does.
bool accepts_gzip(std::string_view header) {
  int named = -1, star = -1;  // -1: not listed; else 1 accepted, 0 refused (q=0).
  for (size_t at = 0; at <= header.size();) {
    size_t end = header.find(',', at);
    std::string_view item = header.substr(at, end == std::string_view::npos ? end : end - at);
    size_t semicolon = item.find(';');
    std::string_view coding = trim(item.substr(0, semicolon));
    std::string_view params =
        semicolon == std::string_view::npos ? std::string_view() : item.substr(semicolon + 1);
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip"))
      named = std::max(named, refused(params) ? 0 : 1);
    else if (coding == "*")
      star = refused(params) ? 0 : 1;
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return named >= 0 ? named == 1 : star == 1;
}

namespace {

std::string_view opaque_tag(std::string_view tag) {
  tag = trim(tag);
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
  return tag;
}

}  // namespace

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (trim(if_none_match) == "*") return true;
  const std::string_view wanted = opaque_tag(etag);
  // Entity tags cannot hold a comma or a quote inside their quotes: splitting on commas is safe.
  for (size_t at = 0; at <= if_none_match.size();) {
    size_t end = if_none_match.find(',', at);
    std::string_view tag =
        if_none_match.substr(at, end == std::string_view::npos ? end : end - at);
    if (!wanted.empty() && opaque_tag(tag) == wanted) return true;
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return false;
}

}  // namespace api
