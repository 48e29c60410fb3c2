#include "core/timefmt.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace core {
namespace {

constexpr int64_t kMsPerHour = 3600 * 1000;
// The most hours a RELTIME may have so that its milliseconds fit an int64.
constexpr int64_t kMaxRelTimeHours = INT64_MAX / kMsPerHour - 1;

// Exactly `digits` decimal digits (from_chars alone would also take a sign).
bool take_int(std::string_view& s, size_t digits, int64_t& out) {
  if (digits == 0 || s.size() < digits) return false;
  for (size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + digits, out);
  if (ec != std::errc() || ptr != s.data() + digits) return false;
  s.remove_prefix(digits);
  return true;
}

bool take_char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

// Optional ".u", ".uu" or ".uuu" fraction, in milliseconds.
bool take_millis(std::string_view& s, int64_t& ms) {
  ms = 0;
  if (!take_char(s, '.')) return true;
  size_t n = 0;
  int64_t scale = 100;
  while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
    if (n < 3) ms += (s.front() - '0') * scale;
    scale /= 10;
    s.remove_prefix(1);
    ++n;
  }
  return n > 0;
}

}  // namespace

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_time(int64_t epoch_ms) {
  int64_t secs = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  int ms = static_cast<int>(epoch_ms - secs * 1000);
  time_t t = static_cast<time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string format_reltime(int64_t duration_ms) {
  const char* sign = duration_ms < 0 ? "-" : "";
  uint64_t ms = duration_ms < 0 ? -static_cast<uint64_t>(duration_ms) : duration_ms;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%llu:%02llu:%02llu.%03llu", sign,
                static_cast<unsigned long long>(ms / 3600000),
                static_cast<unsigned long long>(ms / 60000 % 60),
                static_cast<unsigned long long>(ms / 1000 % 60),
                static_cast<unsigned long long>(ms % 1000));
  return buf;
}

std::optional<int64_t> parse_time(std::string_view s) {
  int64_t y, mo, d, h, mi, sec, ms;
  if (!take_int(s, 4, y) || !take_char(s, '-') || !take_int(s, 2, mo) || !take_char(s, '-') ||
      !take_int(s, 2, d) || !take_char(s, 'T') || !take_int(s, 2, h) || !take_char(s, ':') ||
      !take_int(s, 2, mi) || !take_char(s, ':') || !take_int(s, 2, sec) || !take_millis(s, ms))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int64_t offset_min = 0;
  if (!take_char(s, 'Z')) {
    int sign = s.empty() ? 0 : (s.front() == '+' ? 1 : (s.front() == '-' ? -1 : 0));
    if (sign == 0) return std::nullopt;
    s.remove_prefix(1);
    int64_t oh, om = 0;
    if (!take_int(s, 2, oh)) return std::nullopt;
    if (take_char(s, ':') || (s.size() == 2)) {
      if (!take_int(s, 2, om)) return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  }
  if (!s.empty()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = static_cast<int>(y - 1900);
  tm.tm_mon = static_cast<int>(mo - 1);
  tm.tm_mday = static_cast<int>(d);
  tm.tm_hour = static_cast<int>(h);
  tm.tm_min = static_cast<int>(mi);
  tm.tm_sec = static_cast<int>(sec);
  int64_t secs = timegm(&tm);
  return (secs - offset_min * 60) * 1000 + ms;
}

std::optional<int64_t> parse_reltime(std::string_view s) {
  int sign = 1;
  if (take_char(s, '-')) sign = -1;
  size_t colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
  int64_t h, mi, sec, ms;
  if (!take_int(s, colon, h) || !take_char(s, ':') || !take_int(s, 2, mi) || !take_char(s, ':') ||
      !take_int(s, 2, sec) || !take_millis(s, ms) || !s.empty() || mi > 59 || sec > 59 ||
      h > kMaxRelTimeHours)
    return std::nullopt;
  return sign * (((h * 60 + mi) * 60 + sec) * 1000 + ms);
}

}  // namespace core
