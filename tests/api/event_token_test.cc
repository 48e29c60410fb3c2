// Event feed tokens: a keyed permutation of event ids, written as 16 hex digits.
#include "parse/event_token.h"

#include <gtest/gtest.h>

#include <set>

namespace api {
namespace {

constexpr int64_t kSome[] = {
    1, 2, 3, 41, 42, 999, 1'000'000, int64_t{1} << 32, EventTokens::kMaxEventId};

TEST(EventTokenTest, RoundTripsEveryId) {
  EventTokens tokens("secret");
  for (int64_t id : kSome) EXPECT_EQ(tokens.decode(tokens.encode(id)), id) << id;
  for (int64_t id = 1; id <= 5000; ++id) ASSERT_EQ(tokens.decode(tokens.encode(id)), id) << id;
}

TEST(EventTokenTest, IsSixteenLowercaseHexDigits) {
  EventTokens tokens("secret");
  for (int64_t id : kSome) {
    const std::string token = tokens.encode(id);
    ASSERT_EQ(token.size(), EventTokens::kTokenChars);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  }
}

// Neighbouring ids get unrelated tokens: nothing about their order or distance shows.
TEST(EventTokenTest, DistinctIdsGiveDistinctUnorderedTokens) {
  EventTokens tokens("secret");
  std::set<std::string> seen;
  int ascending = 0;
  std::string previous;
  for (int64_t id = 1; id <= 5000; ++id) {
    const std::string token = tokens.encode(id);
    EXPECT_TRUE(seen.insert(token).second) << "id " << id << " repeats " << token;
    if (token > previous) ++ascending;
    previous = token;
  }
  // Random order would rise about half the time; raw or offset ids always would.
  EXPECT_GT(ascending, 2000);
  EXPECT_LT(ascending, 3000);
  EXPECT_NE(tokens.encode(1).substr(0, 8), tokens.encode(2).substr(0, 8));
}

TEST(EventTokenTest, TheKeyComesFromTheSecretSoProcessesAgree) {
  EventTokens one("secret"), two("secret"), other("other secret");
  EXPECT_EQ(one.encode(42), two.encode(42));
  EXPECT_EQ(two.decode(one.encode(42)), 42);
  EXPECT_NE(other.encode(42), one.encode(42));
}

TEST(EventTokenTest, ATokenOfAnotherKeyIsRefused) {
  EventTokens one("secret"), other("other secret");
  int refused = 0;
  for (int64_t id = 1; id <= 1000; ++id) {
    auto decoded = other.decode(one.encode(id));
    EXPECT_NE(decoded, id);
    if (!decoded) ++refused;
  }
  EXPECT_GE(refused, 995) << "all but about 2^-16 of them decode to no event id";
}

TEST(EventTokenTest, GarbageAndWrongLengthsAreRefused) {
  EventTokens tokens("secret");
  const std::string good = tokens.encode(42);
  std::string upper = good;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad :
       {std::string(), std::string("42"), std::string("0"), good.substr(1), good + "0", "0" + good,
        std::string(16, 'g'), std::string(16, ' '), good.substr(0, 15) + "-",
        good.substr(0, 15) + "\xff", std::string(16, '\0'), std::string("%20") + good.substr(3),
        std::string(32, 'a')}) {
    EXPECT_FALSE(tokens.decode(bad)) << "'" << bad << "'";
  }
  if (upper != good) EXPECT_FALSE(tokens.decode(upper)) << "one spelling per token";
  // Every 16-digit value decodes to something; nearly all of those are no event id.
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    char text[17];
    snprintf(text, sizeof text, "%016llx", 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(i + 1));
    if (!tokens.decode(text)) ++refused;
  }
  EXPECT_GE(refused, 995);
}

}  // namespace
}  // namespace api
