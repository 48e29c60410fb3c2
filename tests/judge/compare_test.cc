// Table-style tests of the ICPC/Kattis default output validator semantics.
#include "judge/compare.h"

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

using judge::compare_output;
using judge::parse_validator_flags;
using judge::ValidatorFlags;

enum class Expect { Accept, Reject };

struct CompareCase {
  const char* name;
  std::string team, answer;
  ValidatorFlags flags;
  Expect expect;
};

void PrintTo(const CompareCase& c, std::ostream* os) { *os << c.name; }

ValidatorFlags defaults() { return {}; }
ValidatorFlags case_sensitive() { return {.case_sensitive = true}; }
ValidatorFlags space_sensitive() { return {.space_change_sensitive = true}; }
ValidatorFlags absolute(double tolerance) { return {.float_absolute_tolerance = tolerance}; }
ValidatorFlags relative(double tolerance) { return {.float_relative_tolerance = tolerance}; }
ValidatorFlags both(double tolerance) {
  return {.float_absolute_tolerance = tolerance, .float_relative_tolerance = tolerance};
}

const CompareCase kCompareCases[] = {
    // Tokens and whitespace.
    {"Identical", "3\n", "3\n", defaults(), Expect::Accept},
    {"TeamWithoutTrailingNewline", "3", "3\n", defaults(), Expect::Accept},
    {"AnswerWithoutTrailingNewline", "3\n", "3", defaults(), Expect::Accept},
    {"NewlinesTabsSpacesInterchangeable", "1 2 3\n", "1\n2\t3\n", defaults(), Expect::Accept},
    {"RunsOfWhitespaceCollapse", "  1   2\n\n\n", "1 2\n", defaults(), Expect::Accept},
    {"CrLfIsWhitespace", "1\r\n2\r\n", "1\n2\n", defaults(), Expect::Accept},
    {"DifferentToken", "4\n", "3\n", defaults(), Expect::Reject},
    {"GluedTokens", "12\n", "1 2\n", defaults(), Expect::Reject},
    {"SplitToken", "1 2\n", "12\n", defaults(), Expect::Reject},
    {"ExtraTeamOutput", "3 4\n", "3\n", defaults(), Expect::Reject},
    {"ExtraTeamLine", "3\n0\n", "3\n", defaults(), Expect::Reject},
    {"MissingTeamToken", "1\n", "1 2\n", defaults(), Expect::Reject},
    {"NoTeamOutput", "", "3\n", defaults(), Expect::Reject},
    {"EmptyVsEmpty", "", "", defaults(), Expect::Accept},
    {"WhitespaceOnlyVsEmpty", " \n\t\n", "", defaults(), Expect::Accept},
    {"OutputVsEmptyAnswer", "0\n", "", defaults(), Expect::Reject},
    // Case.
    {"CaseInsensitiveByDefault", "yEs\n", "YES\n", defaults(), Expect::Accept},
    {"CaseSensitiveRejectsOtherCase", "Yes\n", "YES\n", case_sensitive(), Expect::Reject},
    {"CaseSensitiveAcceptsSameCase", "YES\n", "YES\n", case_sensitive(), Expect::Accept},
    // Whitespace must match exactly when space_change_sensitive.
    {"SpaceSensitiveIdentical", "1 2\n3\n", "1 2\n3\n", space_sensitive(), Expect::Accept},
    {"SpaceSensitiveDoubleSpace", "1  2\n", "1 2\n", space_sensitive(), Expect::Reject},
    {"SpaceSensitiveNewlineForSpace", "1\n2\n", "1 2\n", space_sensitive(), Expect::Reject},
    {"SpaceSensitiveMissingTrailingNewline", "1 2", "1 2\n", space_sensitive(), Expect::Reject},
    {"SpaceSensitiveExtraTrailingNewline", "1 2\n\n", "1 2\n", space_sensitive(), Expect::Reject},
    {"SpaceSensitiveLeadingSpace", " 1 2\n", "1 2\n", space_sensitive(), Expect::Reject},
    {"SpaceSensitiveStillCaseInsensitive", "yes\n", "YES\n", space_sensitive(), Expect::Accept},
    // Numbers compare as text without a tolerance.
    {"NoToleranceNumbersAreText", "3.0\n", "3\n", defaults(), Expect::Reject},
    {"NoToleranceTinyDifference", "3.0000001\n", "3\n", defaults(), Expect::Reject},
    // Absolute tolerance.
    {"AbsoluteWithin", "1.0000005\n", "1\n", absolute(1e-6), Expect::Accept},
    {"AbsoluteBoundaryInclusive", "1.5\n", "1\n", absolute(0.5), Expect::Accept},
    {"AbsoluteOutside", "1.000002\n", "1\n", absolute(1e-6), Expect::Reject},
    {"AbsoluteBelowAnswer", "0.9999995\n", "1\n", absolute(1e-6), Expect::Accept},
    {"AbsoluteNegative", "-2.0000005\n", "-2\n", absolute(1e-6), Expect::Accept},
    {"AbsoluteOnlyIgnoresRelative", "1000000.5\n", "1000000\n", absolute(1e-6), Expect::Reject},
    {"AbsoluteExponentNotation", "1e3\n", "1000.0000001\n", absolute(1e-6), Expect::Accept},
    {"AbsoluteTeamNotANumber", "abc\n", "1\n", absolute(1e-6), Expect::Reject},
    {"AbsoluteTeamNan", "nan\n", "1\n", absolute(1e-6), Expect::Reject},
    {"AbsoluteTextAnswerComparesAsText", "hello 1\n", "HELLO 1.0000001\n", absolute(1e-6),
     Expect::Accept},
    {"AbsoluteTextAnswerWrongWord", "help 1\n", "hello 1\n", absolute(1e-6), Expect::Reject},
    // Relative tolerance.
    {"RelativeWithin", "1000000.5\n", "1000000\n", relative(1e-6), Expect::Accept},
    {"RelativeOutside", "1000002\n", "1000000\n", relative(1e-6), Expect::Reject},
    {"RelativeOnlyIgnoresAbsolute", "1.5e-12\n", "1e-12\n", relative(1e-6), Expect::Reject},
    {"RelativeZeroAnswerNeedsExact", "1e-300\n", "0\n", relative(1e-6), Expect::Reject},
    // float_tolerance: absolute OR relative.
    {"EitherRelativeSuffices", "1000000.5\n", "1000000\n", both(1e-6), Expect::Accept},
    {"EitherAbsoluteSuffices", "1.5e-12\n", "1e-12\n", both(1e-6), Expect::Accept},
    {"EitherNeitherSuffices", "1.1\n", "1\n", both(1e-6), Expect::Reject},
    {"EitherManyTokens", "0.1 0.2\n0.30000000000000004\n", "0.1 0.2 0.3\n", both(1e-9),
     Expect::Accept},
    {"EitherExtraNumber", "3 0\n", "3\n", both(1e-6), Expect::Reject},
    {"EitherMissingNumber", "", "3\n", both(1e-6), Expect::Reject},
};

class CompareTest : public ::testing::TestWithParam<CompareCase> {};

TEST_P(CompareTest, MatchesKattisDefaultValidator) {
  const CompareCase& c = GetParam();
  judge::Comparison result = compare_output(c.team, c.answer, c.flags);
  EXPECT_EQ(result.accepted, c.expect == Expect::Accept) << "message: " << result.message;
  // The jury needs to know why a rejection happened.
  if (!result.accepted) {
    EXPECT_FALSE(result.message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CompareTest, ::testing::ValuesIn(kCompareCases), NameOf{});

TEST(CompareMessageTest, NamesTheDifferingToken) {
  judge::Comparison result = compare_output("1 7 3\n", "1 2 3\n", {});
  ASSERT_FALSE(result.accepted);
  EXPECT_NE(result.message.find("token 2"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("'2'"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("'7'"), std::string::npos) << result.message;
}

TEST(CompareMessageTest, ShortensHugeTokens) {
  std::string huge(100000, 'x');
  judge::Comparison result = compare_output(huge, "y", {});
  ASSERT_FALSE(result.accepted);
  EXPECT_LT(result.message.size(), 200u) << result.message;
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

}  // namespace
