#include <algorithm>

#include "domain/types.h"

namespace domain {

const std::array<VerdictInfo, 8>& verdicts() {
  static const std::array<VerdictInfo, 8> kVerdicts = {{
      {Verdict::AC, "AC", "Accepted", false, true},
      {Verdict::WA, "WA", "Wrong Answer", true, false},
      {Verdict::TLE, "TLE", "Time Limit Exceeded", true, false},
      {Verdict::RTE, "RTE", "Run-Time Error", true, false},
      {Verdict::MLE, "MLE", "Memory Limit Exceeded", true, false},
      {Verdict::OLE, "OLE", "Output Limit Exceeded", true, false},
      {Verdict::CE, "CE", "Compiler Error", false, false},
      {Verdict::JE, "JE", "Judging Error", false, false},
  }};
  return kVerdicts;
}

const char* to_string(Verdict verdict) {
  for (const auto& info : verdicts())
    if (info.verdict == verdict) return info.id;
  return "JE";
}

std::optional<Verdict> parse_verdict(std::string_view id) {
  for (const auto& info : verdicts())
    if (id == info.id) return info.verdict;
  return std::nullopt;
}

}  // namespace domain
