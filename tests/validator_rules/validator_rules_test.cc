// Table-style tests of the output validation rules of the ICPC/Kattis problem format that the
// package importer and the judge share: validator_flags, a custom validator's main source.
#include "validator_rules/validator_rules.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

namespace {

// Test names from the table rows (a lambda here would trip -Wshadow inside gtest's macro).
struct NameOf {
  template <class Param>
  std::string operator()(const ::testing::TestParamInfo<Param>& row) const {
    return row.param.name;
  }
};

using validator_rules::parse_validator_flags;
using validator_rules::ValidatorFlags;

ValidatorFlags defaults() { return {}; }
ValidatorFlags case_sensitive() { return {.case_sensitive = true}; }
ValidatorFlags space_sensitive() { return {.space_change_sensitive = true}; }
ValidatorFlags absolute(double tolerance) { return {.float_absolute_tolerance = tolerance}; }
ValidatorFlags relative(double tolerance) { return {.float_relative_tolerance = tolerance}; }
ValidatorFlags both(double tolerance) {
  return {.float_absolute_tolerance = tolerance, .float_relative_tolerance = tolerance};
}

// parse_validator_flags: problem.yaml's validator_flags string.

struct FlagsCase {
  const char* name;
  std::string text;
  std::optional<ValidatorFlags> expect;  // Empty: a parse error.
};

void PrintTo(const FlagsCase& c, std::ostream* os) { *os << c.name; }

const FlagsCase kFlagsCases[] = {
    {"Empty", "", defaults()},
    {"OnlyWhitespace", " \n\t", defaults()},
    {"CaseSensitive", "case_sensitive", case_sensitive()},
    {"SpaceChangeSensitive", "space_change_sensitive", space_sensitive()},
    {"FloatTolerance", "float_tolerance 1e-6", both(1e-6)},
    {"FloatAbsoluteTolerance", "float_absolute_tolerance 0.5", absolute(0.5)},
    {"FloatRelativeTolerance", "float_relative_tolerance 0.25", relative(0.25)},
    {"Combined", "case_sensitive\tspace_change_sensitive\n float_absolute_tolerance 1e-9",
     ValidatorFlags{
         .case_sensitive = true, .space_change_sensitive = true, .float_absolute_tolerance = 1e-9}},
    {"AbsoluteAndRelativeDiffer", "float_relative_tolerance 1e-3 float_absolute_tolerance 2",
     ValidatorFlags{.float_absolute_tolerance = 2.0, .float_relative_tolerance = 1e-3}},
    {"UnknownFlag", "case_insensitive", std::nullopt},
    {"UnknownFlagAfterGoodOnes", "case_sensitive float_tolerance 1e-6 bogus", std::nullopt},
    {"ToleranceWithoutNumber", "float_tolerance", std::nullopt},
    {"AbsoluteWithoutNumber", "case_sensitive float_absolute_tolerance", std::nullopt},
    {"RelativeWithoutNumber", "float_relative_tolerance", std::nullopt},
    {"ToleranceFollowedByFlag", "float_tolerance case_sensitive", std::nullopt},
    {"ToleranceNotANumber", "float_tolerance 1e-6x", std::nullopt},
};

class FlagsTest : public ::testing::TestWithParam<FlagsCase> {};

TEST_P(FlagsTest, Parses) {
  const FlagsCase& c = GetParam();
  std::optional<ValidatorFlags> got = parse_validator_flags(c.text);
  ASSERT_EQ(got.has_value(), c.expect.has_value()) << "text: '" << c.text << "'";
  if (!got) return;
  EXPECT_EQ(got->case_sensitive, c.expect->case_sensitive);
  EXPECT_EQ(got->space_change_sensitive, c.expect->space_change_sensitive);
  EXPECT_EQ(got->float_absolute_tolerance, c.expect->float_absolute_tolerance);
  EXPECT_EQ(got->float_relative_tolerance, c.expect->float_relative_tolerance);
}

INSTANTIATE_TEST_SUITE_P(Table, FlagsTest, ::testing::ValuesIn(kFlagsCases), NameOf{});

TEST(ValidatorSource, PicksTheOneSourceOrTheOneNamedValidator) {
  EXPECT_EQ(validator_rules::pick_validator_source({"validator.cpp", "testlib.h"}),
            "validator.cpp");
  EXPECT_EQ(validator_rules::pick_validator_source({"check.py"}), "check.py");
  EXPECT_EQ(validator_rules::pick_validator_source({"validator.c", "util.c"}), "validator.c");
  EXPECT_FALSE(validator_rules::pick_validator_source({"a.cpp", "b.cpp"}));
  EXPECT_FALSE(validator_rules::pick_validator_source({"testlib.h", "README"}));
  EXPECT_EQ(validator_rules::validator_language("x.cc"), "cpp");
  EXPECT_EQ(validator_rules::validator_language("x.py"), "python3");
  EXPECT_FALSE(validator_rules::validator_language("x.h"));
}

}  // namespace
