// Custom output validators (ICPC/Kattis legacy format): picking the main source of a validator
// and the conventions of running one. The running itself is part of judge_submission.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// The language id (languages table: c, cpp, python3) of a validator source file name by its
// extension, or nothing for headers and other files.
std::optional<std::string> validator_language(const std::string& file_name);

// The main source among a validator's file names: the one file with a source extension, or the
// one named validator.* when there are several. Nothing when there is no such single file.
std::optional<std::string> pick_validator_source(const std::vector<std::string>& file_names);

}  // namespace judge
