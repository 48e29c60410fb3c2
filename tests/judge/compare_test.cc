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
using validator_rules::ValidatorFlags;

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

}  // namespace
