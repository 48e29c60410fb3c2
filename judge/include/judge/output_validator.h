// Custom output validators (ICPC/Kattis legacy format): the conventions of running one. The
// running itself is part of judge_submission; which file is a validator's main source, and in
// which language, is in validator_rules/.
#pragma once

#include "sandbox/sandbox.h"

namespace judge {

inline constexpr int kValidatorAccept = 42;
inline constexpr int kValidatorReject = 43;
// Names inside the validator's box (/box is its work dir and its feedback dir).
inline constexpr const char* kValidatorInput = "testcase.in";
inline constexpr const char* kValidatorAnswer = "testcase.ans";
inline constexpr const char* kFeedbackDir = "/box/";

// Generous but bounded: a validator is trusted code, but a bug must not hold a slot forever.
struct ValidatorLimits {
  static sandbox::Limits defaults();
};

}  // namespace judge
