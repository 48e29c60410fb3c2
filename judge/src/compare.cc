#include "judge/compare.h"

#include <cctype>
#include <cmath>

namespace judge {
namespace {

using validator_rules::parse_number;
using validator_rules::ValidatorFlags;

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Splits text into alternating whitespace runs and tokens: a leading whitespace run (maybe empty),
// then token, whitespace, token, ... and a trailing whitespace run (maybe empty).
struct Scanner {
  std::string_view text;
  size_t pos = 0;
  std::string_view whitespace() {
    size_t start = pos;
    while (pos < text.size() && is_space(text[pos])) ++pos;
    return text.substr(start, pos - start);
  }
  std::string_view token() {
    size_t start = pos;
    while (pos < text.size() && !is_space(text[pos])) ++pos;
    return text.substr(start, pos - start);
  }
  bool done() const { return pos >= text.size(); }
};

bool equal_text(std::string_view a, std::string_view b, bool case_sensitive) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (!case_sensitive) {
      x = static_cast<char>(std::tolower(static_cast<unsigned char>(x)));
      y = static_cast<char>(std::tolower(static_cast<unsigned char>(y)));
    }
    if (x != y) return false;
  }
  return true;
}

bool uses_tolerance(const ValidatorFlags& f) {
  return f.float_absolute_tolerance || f.float_relative_tolerance;
}

bool equal_tokens(std::string_view team, std::string_view answer, const ValidatorFlags& f) {
  if (uses_tolerance(f)) {
    if (auto expected = parse_number(answer)) {
      auto got = parse_number(team);
      if (!got || std::isnan(*got)) return false;
      double diff = std::fabs(*got - *expected);
      if (f.float_absolute_tolerance && diff <= *f.float_absolute_tolerance) return true;
      if (f.float_relative_tolerance && diff <= *f.float_relative_tolerance * std::fabs(*expected))
        return true;
      return false;
    }
  }
  return equal_text(team, answer, f.case_sensitive);
}

std::string shorten(std::string_view token) {
  constexpr size_t kMax = 40;
  return token.size() <= kMax ? std::string(token) : std::string(token.substr(0, kMax)) + "...";
}

}  // namespace

Comparison compare_output(std::string_view team, std::string_view answer,
                          const ValidatorFlags& flags) {
  Scanner t{team}, a{answer};
  for (size_t index = 1;; ++index) {
    std::string_view team_space = t.whitespace(), answer_space = a.whitespace();
    if (flags.space_change_sensitive && team_space != answer_space)
      return {false, "whitespace differs before token " + std::to_string(index)};
    if (a.done() && t.done()) return {true, ""};
    if (a.done()) return {false, "trailing output: '" + shorten(t.token()) + "'"};
    if (t.done())
      return {false, "output ends early: expected '" + shorten(a.token()) + "' as token " +
                         std::to_string(index)};
    std::string_view team_token = t.token(), answer_token = a.token();
    if (!equal_tokens(team_token, answer_token, flags))
      return {false, "token " + std::to_string(index) + ": expected '" + shorten(answer_token) +
                         "', got '" + shorten(team_token) + "'"};
  }
}

}  // namespace judge
