// The ICPC/Kattis problem format's rules for output validation, as this judge reads them: the
// default validator's flags and how a custom validator's main source is found. The package
// importer refuses what these rules reject; the judge runs what they accept.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace validator_rules {

struct ValidatorFlags {
  bool case_sensitive = false;
  bool space_change_sensitive = false;
  std::optional<double> float_absolute_tolerance;
  std::optional<double> float_relative_tolerance;
};

// A number as the default validator reads one, in an answer token or a flag: the whole token as
// strtod reads it (so "1e-6", "0x1p3", "inf", "nan" too). Nothing for any other token.
std::optional<double> parse_number(std::string_view token);

// Parses problem.yaml's validator_flags, e.g. "case_sensitive float_tolerance 1e-6".
// float_tolerance sets both tolerances. Empty on an unknown flag or a missing number.
std::optional<ValidatorFlags> parse_validator_flags(std::string_view text);

// The language id (languages table: c, cpp, python3) of a validator source file name by its
// extension, or nothing for headers and other files.
std::optional<std::string> validator_language(const std::string& file_name);

// The main source among a validator's file names: the one file with a source extension, or the
// one named validator.* when there are several. Nothing when there is no such single file.
std::optional<std::string> pick_validator_source(const std::vector<std::string>& file_names);

}  // namespace validator_rules
