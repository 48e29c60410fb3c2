// The domain types every layer shares: the API parses them, core stores them, the workers hand
// them to the judge. Plain data, no project includes (the leaf of the layers, README).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace domain {

// One file of a submission, by its path in the upload ("main.cpp", "sol/Main.java"); in the box
// it is a plain name.
struct SourceFile {
  std::string name;
  std::string content;
};

// A test group of a scored problem (data/secret/<name>/): worth `points` when every test in it is
// AC. continue_on_reject: run its remaining tests after a failure (feedback only; the score is 0).
struct TestGroup {
  double points = 1;
  bool continue_on_reject = false;
  int ordinal = 0;   // From 1, in path order.
  std::string name;  // Its folder under data/secret/.
};

// A verdict: a CLICS judgement type. Code compares the enum; the ids ("AC", "WA", ...) exist only
// at the edges (the database, JSON, logs) and are printed and parsed here.
enum class Verdict { AC, WA, TLE, MLE, OLE, RTE, CE, JE };

// A verdict as a CLICS judgement type (API.md "Judgement types served").
struct VerdictInfo {
  Verdict verdict;
  const char* id;    // The CLICS id.
  const char* name;  // Its display name.
  bool penalty;      // Counts as a rejected try on the scoreboard.
  bool solved;
};
// Every verdict, in display order.
const std::array<VerdictInfo, 8>& verdicts();

const char* to_string(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view id);  // Empty when not a served id.

}  // namespace domain
