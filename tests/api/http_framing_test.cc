#include "http/http_framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace api {
namespace {

constexpr const char* kGet = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// Everything the framer makes of `bytes` appended at once: frames until it needs more or fails.
std::vector<Framed> frames_of(const std::string& bytes, FramingLimits limits = {}) {
  RequestFramer framer(limits);
  framer.append(bytes.data(), bytes.size());
  std::vector<Framed> out;
  while (true) {
    Framed next = framer.next();
    if (std::holds_alternative<NeedMore>(next)) return out;
    out.push_back(next);
    if (std::holds_alternative<FramingError>(next)) return out;
  }
}

FramingError only_error(const std::string& bytes, FramingLimits limits = {}) {
  auto frames = frames_of(bytes, limits);
  EXPECT_EQ(frames.size(), 1u) << bytes;
  if (frames.empty() || !std::holds_alternative<FramingError>(frames[0])) {
    ADD_FAILURE() << "expected a framing error for: " << bytes;
    return {};
  }
  return std::get<FramingError>(frames[0]);
}

RequestFrame only_frame(const std::string& bytes) {
  auto frames = frames_of(bytes);
  EXPECT_EQ(frames.size(), 1u) << bytes;
  if (frames.empty() || !std::holds_alternative<RequestFrame>(frames[0])) {
    ADD_FAILURE() << "expected one request for: " << bytes;
    return {};
  }
  return std::get<RequestFrame>(frames[0]);
}

TEST(HttpFraming, TwoRequestsInOneWriteAreTwoRequests) {
  auto frames = frames_of(std::string(kGet) + kGet);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<RequestFrame>(frames[0]).bytes, kGet);
  EXPECT_EQ(std::get<RequestFrame>(frames[1]).bytes, kGet);
  EXPECT_FALSE(std::get<RequestFrame>(frames[0]).close_after);
}

TEST(HttpFraming, ABodyEndsWhereContentLengthSaysAndTheNextRequestFollows) {
  const std::string post =
      "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde";
  auto frames = frames_of(post + kGet);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<RequestFrame>(frames[0]).bytes, post);
  EXPECT_EQ(std::get<RequestFrame>(frames[1]).bytes, kGet);
}

TEST(HttpFraming, ARequestArrivingByteByByteIsFramedOnceWhole) {
  const std::string post = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  RequestFramer framer;
  for (size_t i = 0; i + 1 < post.size(); ++i) {
    framer.append(&post[i], 1);
    ASSERT_TRUE(std::holds_alternative<NeedMore>(framer.next())) << "after byte " << i;
  }
  framer.append(&post.back(), 1);
  auto last = framer.next();
  ASSERT_TRUE(std::holds_alternative<RequestFrame>(last));
  EXPECT_EQ(std::get<RequestFrame>(last).bytes, post);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(HttpFraming, AnOversizedBodyIsRefusedAndItsBytesAreNeverARequest) {
  FramingLimits limits{1024, 100};
  RequestFramer framer(limits);
  const std::string head = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n";
  framer.append(head.data(), head.size());
  auto refused = framer.next();
  ASSERT_TRUE(std::holds_alternative<FramingError>(refused));
  EXPECT_EQ(std::get<FramingError>(refused).status, 413);
  // What follows (the body, or a request hidden in it) is never framed.
  framer.append(kGet, std::string(kGet).size());
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.next()));
}

TEST(HttpFraming, GarbageIsA400AssoonAsItsLineEnds) {
  EXPECT_EQ(only_error("GARBAGE\r\n").status, 400);
  EXPECT_EQ(only_error("GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET /x\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET  /x HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("G(T /x HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET /x HTTP/1.1x\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET /x HTTP/2.0\r\nHost: x\r\n\r\n").status, 400);
}

TEST(HttpFraming, ContentLengthsMustAgree) {
  const std::string head = "POST /x HTTP/1.1\r\nHost: x\r\n";
  EXPECT_EQ(only_error(head + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd").status, 400);
  EXPECT_EQ(only_error(head + "Content-Length: 3, 4\r\n\r\nabcd").status, 400);
  for (const char* bad : {"", "+3", "-1", "0x3", "3.0", "3 3"}) {
    EXPECT_EQ(only_error(head + "Content-Length: " + bad + "\r\n\r\nabc").status, 400) << bad;
  }
  for (const std::string same :
       {"Content-Length: 3\r\ncontent-length: 3\r\n\r\nabc", "Content-Length: 3, 3\r\n\r\nabc"}) {
    EXPECT_EQ(only_frame(head + same).bytes, head + same);
  }
}

TEST(HttpFraming, AContentLengthTooLargeForAnyIntegerIsA413) {
  EXPECT_EQ(
      only_error("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n")
          .status,
      413);
}

TEST(HttpFraming, TransferEncodingIsA411) {
  EXPECT_EQ(only_error("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .status,
            411);
}

TEST(HttpFraming, AnHttp11RequestNeedsExactlyOneHost) {
  EXPECT_EQ(only_error("GET /x HTTP/1.1\r\n\r\n").status, 400);
  EXPECT_EQ(only_error("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status, 400);
  EXPECT_TRUE(only_frame("GET /x HTTP/1.0\r\n\r\n").close_after);
}

TEST(HttpFraming, ConnectionCloseHttp10AndHeadEndTheConnection) {
  EXPECT_TRUE(only_frame("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").close_after);
  EXPECT_TRUE(only_frame("GET /x HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, CLOSE\r\n\r\n")
                  .close_after);
  EXPECT_FALSE(only_frame("GET /x HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").close_after);
  EXPECT_TRUE(only_frame("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n").close_after);
  EXPECT_FALSE(only_frame("GET /x HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\n\r\n").close_after);
}

TEST(HttpFraming, MalformedHeaderLinesAreRefused) {
  const std::string line = "GET /x HTTP/1.1\r\nHost: x\r\n";
  EXPECT_EQ(only_error(line + "X-A: 1\r\n folded\r\n\r\n").status, 400);
  EXPECT_EQ(only_error(line + "X-A : 1\r\n\r\n").status, 400);
  EXPECT_EQ(only_error(line + "no colon\r\n\r\n").status, 400);
  EXPECT_EQ(only_error(line + ": empty name\r\n\r\n").status, 400);
  EXPECT_EQ(only_error(line + std::string("X-A: a\0b\r\n\r\n", 12)).status, 400);
  EXPECT_EQ(only_error(line + "X-A: a\nb\r\n\r\n").status, 400);
  EXPECT_EQ(only_error(line + "X-A: a\rb\r\n\r\n").status, 400);
  // Tabs and bytes above ASCII are allowed in values.
  const std::string tab_and_utf8 = line + "X-A: a\tb \xc3\xa9\r\n\r\n";
  EXPECT_EQ(only_frame(tab_and_utf8).bytes, tab_and_utf8);
}

TEST(HttpFraming, AHeadTooLargeIsA431EvenBeforeItEnds) {
  FramingLimits limits{256, 1024};
  EXPECT_EQ(
      only_error("GET /x HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(300, 'a'), limits).status,
      431);
  EXPECT_EQ(
      only_error("GET /x HTTP/1.1\r\nHost: x\r\nX-A: " + std::string(300, 'a') + "\r\n\r\n", limits)
          .status,
      431);
}

TEST(HttpFraming, EmptyLinesBeforeARequestAreSkipped) {
  EXPECT_EQ(only_frame(std::string("\r\n\r\n") + kGet).bytes, kGet);
}

}  // namespace
}  // namespace api
