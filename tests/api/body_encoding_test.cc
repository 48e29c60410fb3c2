#include "http/body_encoding.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "gzip.h"

namespace api {
namespace {

using testenv::gunzip;

std::string board_like(int rows) {
  std::string text = ",\"rows\":[";
  for (int i = 0; i < rows; ++i)
    text += (i ? "," : "") + std::string("{\"rank\":") + std::to_string(i + 1) +
            ",\"team_id\":\"team" + std::to_string(i) + "\",\"score\":{\"num_solved\":3}}";
  return text + "]}";
}

TEST(BodyEncodingTest, PrefixAndTailInflateToTheWholeText) {
  const std::string tail = board_like(2000);
  const DeflatedTail deflated = deflate_tail(tail);
  EXPECT_LT(deflated.deflated.size(), tail.size() / 5) << "a board compresses well";
  const std::string prefix = R"({"time":"2026-11-22T22:00:00.000+00:00","state":{}})";
  EXPECT_EQ(gunzip(gzip_with_prefix(prefix, deflated)), prefix + tail);
  EXPECT_EQ(gunzip(gzip_with_prefix("", deflated)), tail);
}

TEST(BodyEncodingTest, PrefixLongerThanOneStoredBlock) {
  const std::string prefix(200'000, 'x');
  const DeflatedTail deflated = deflate_tail("tail");
  EXPECT_EQ(gunzip(gzip_with_prefix(prefix, deflated)), prefix + "tail");
}

TEST(BodyEncodingTest, CorruptedBodyIsDetectedByTheTrailer) {
  std::string gz = gzip_with_prefix("prefix", deflate_tail("tail"));
  gz[gz.size() - 8] ^= 1;  // The CRC32.
  EXPECT_THROW(gunzip(gz), std::runtime_error);
}

TEST(BodyEncodingTest, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *")) << "named gzip refused wins over *";
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzipx, xgzip"));
}

}  // namespace
}  // namespace api

namespace api {
namespace {

TEST(BodyEncodingTest, IfNoneMatch) {
  const std::string etag = R"(W/"abc-123")";
  EXPECT_TRUE(etag_matches(R"(W/"abc-123")", etag));
  EXPECT_TRUE(etag_matches(R"("abc-123")", etag)) << "weak comparison";
  EXPECT_TRUE(etag_matches(R"("x", W/"abc-123" , "y")", etag));
  EXPECT_TRUE(etag_matches(" * ", etag));
  EXPECT_FALSE(etag_matches("", etag));
  EXPECT_FALSE(etag_matches(R"(W/"abc-124")", etag));
  EXPECT_FALSE(etag_matches(R"(W/"abc-123-gz")", etag));
  EXPECT_FALSE(etag_matches("abc-123", etag)) << "not quoted: no entity tag";
}

}  // namespace
}  // namespace api
