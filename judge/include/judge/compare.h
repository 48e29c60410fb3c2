// Output comparison with the ICPC/Kattis default output validator semantics.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace judge {

struct ValidatorFlags {
  bool case_sensitive = false;
  bool space_change_sensitive = false;
  std::optional<double> float_absolute_tolerance;
  std::optional<double> float_relative_tolerance;
};

// Parses problem.yaml's validator_flags, e.g. "case_sensitive float_tolerance 1e-6".
// float_tolerance sets both tolerances. Empty on an unknown flag or a missing number.
std::optional<ValidatorFlags> parse_validator_flags(std::string_view text);

struct Comparison {
  bool accepted = false;
  std::string message;  // For the jury: where and why the outputs differ.
};

// Token-wise comparison of the team's output against the judge's answer: tokens are separated
// by whitespace (which must match exactly when space_change_sensitive); letters compare
// case-insensitively unless case_sensitive; when a tolerance is set and the answer token is a
// number, the team token is accepted within the absolute OR relative tolerance.
Comparison compare_output(std::string_view team, std::string_view answer,
                          const ValidatorFlags& flags);

}  // namespace judge
