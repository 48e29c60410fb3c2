// Output comparison with the ICPC/Kattis default output validator semantics.
#pragma once

#include <string>
#include <string_view>

#include "validator_rules/validator_rules.h"

namespace judge {

struct Comparison {
  bool accepted = false;
  std::string message;  // For the jury: where and why the outputs differ.
};

// Token-wise comparison of the team's output against the judge's answer: tokens are separated
// by whitespace (which must match exactly when space_change_sensitive); letters compare
// case-insensitively unless case_sensitive; when a tolerance is set and the answer token is a
// number (validator_rules::parse_number), the team token is accepted within the absolute OR
// relative tolerance.
Comparison compare_output(std::string_view team, std::string_view answer,
                          const validator_rules::ValidatorFlags& flags);

}  // namespace judge
