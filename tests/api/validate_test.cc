#include "parse/validate.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "zip_builder.h"

namespace api {
namespace {

constexpr size_t kLimit = 16;

TEST(IdTest, AcceptsClicsIdentifiers) {
  EXPECT_TRUE(is_valid_id("a"));
  EXPECT_TRUE(is_valid_id("wf2026_final-1.b"));
  EXPECT_TRUE(is_valid_id(std::string(36, 'x')));
}

TEST(IdTest, RejectsEverythingElse) {
  EXPECT_FALSE(is_valid_id(""));
  EXPECT_FALSE(is_valid_id(std::string(37, 'x')));
  EXPECT_FALSE(is_valid_id("-a"));
  EXPECT_FALSE(is_valid_id(".."));
  EXPECT_FALSE(is_valid_id("a/b"));
  EXPECT_FALSE(is_valid_id("a b"));
  EXPECT_FALSE(is_valid_id("caf\xc3\xa9"));
  EXPECT_FALSE(is_valid_id(std::string("a\0b", 3)));
}

TEST(NumericIdTest, ParsesOnlyWholeNonNegativeNumbers) {
  EXPECT_EQ(parse_numeric_id("0"), 0);
  EXPECT_EQ(parse_numeric_id("42"), 42);
  EXPECT_EQ(parse_numeric_id("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(parse_numeric_id(""));
  EXPECT_FALSE(parse_numeric_id("-1"));
  EXPECT_FALSE(parse_numeric_id("+1"));
  EXPECT_FALSE(parse_numeric_id("12a"));
  EXPECT_FALSE(parse_numeric_id(" 1"));
  EXPECT_FALSE(parse_numeric_id("9223372036854775808"));  // overflow
}

TEST(SubmissionBodyTest, AcceptsAValidBody) {
  auto r = parse_submission_body(
      R"({"problem_id":"sum","language_id":"cpp","source":"int main(){}"})", 64);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().problem_id, "sum");
  EXPECT_EQ(r.value().language_id, "cpp");
  EXPECT_EQ(r.value().source, "int main(){}");
  EXPECT_FALSE(r.value().team_id);
}

TEST(SubmissionBodyTest, KeepsTeamId) {
  auto r = parse_submission_body(
      R"({"problem_id":"p","language_id":"c","source":"x","team_id":"t1"})", kLimit);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().team_id, "t1");
}

struct BadBody {
  const char* body;
  int status;
  const char* message_contains;
};

class SubmissionBodyErrorTest : public testing::TestWithParam<BadBody> {};

TEST_P(SubmissionBodyErrorTest, ReportsTheProblem) {
  auto r = parse_submission_body(GetParam().body, kLimit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().status, GetParam().status);
  EXPECT_NE(r.error().message.find(GetParam().message_contains), std::string::npos)
      << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SubmissionBodyErrorTest,
    testing::Values(
        BadBody{"{", 400, "malformed JSON"}, BadBody{"", 400, "malformed JSON"},
        BadBody{"[1,2]", 400, "JSON object"},
        BadBody{R"({"language_id":"c","source":"x"})", 400, "problem_id: required"},
        BadBody{R"({"problem_id":7,"language_id":"c","source":"x"})", 400,
                "problem_id: must be a string"},
        BadBody{R"({"problem_id":"p","source":"x"})", 400, "language_id: required"},
        BadBody{R"({"problem_id":"p","language_id":"c"})", 400, "either source or files"},
        BadBody{R"({"problem_id":"p","language_id":"c","source":"x","files":[]})", 400,
                "either source or files"},
        BadBody{R"({"problem_id":"p","language_id":"c","files":{"data":"eA=="}})", 400,
                "files: must be an array"},
        BadBody{R"({"problem_id":"p","language_id":"c","files":[{"data":7}]})", 400,
                "files[0].data: must be a string"},
        BadBody{R"({"problem_id":"p","language_id":"c","files":[{"data":"%%"}]})", 400,
                "not valid base64"},
        BadBody{R"({"problem_id":"p","language_id":"c","files":[{"data":"","mime":"x"}]})", 422,
                "only application/zip"},
        BadBody{R"({"problem_id":"p","language_id":"c","source":["x"]})", 400,
                "source: must be a string"},
        BadBody{R"({"problem_id":"p","language_id":"c","source":""})", 400, "source: must not"},
        BadBody{R"({"problem_id":"p","language_id":"c","source":"x","team_id":1})", 400,
                "team_id: must be a string"},
        BadBody{R"({"problem_id":"p","language_id":"c","files":[{"data":"UEsDBA=="}]})", 400,
                "files[0]: not a zip"},
        BadBody{R"({"problem_id":"p","language_id":"c","source":"12345678901234567"})", 413,
                "source"}));

TEST(SubmissionBodyTest, FilesGiveTheZippedSourceAndItsName) {
  nlohmann::json body = {
      {"problem_id", "p"},
      {"language_id", "c"},
      {"files",
       {{{"data", testenv::base64_encode(testenv::make_zip({{"s/a.c", "int x;"}}))},
         {"mime", "application/zip"}}}}};
  auto r = parse_submission_body(body.dump(), kLimit);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().source, "int x;");
  EXPECT_EQ(r.value().filename, "s/a.c");
  EXPECT_TRUE(r.value().files.empty()) << "one file travels as source";
  // What entry_point must name depends on the language: it is checked at submit.
  body["entry_point"] = "Main";
  auto named = parse_submission_body(body.dump(), kLimit);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named.value().entry_point, "Main");
  body["entry_point"] = 7;
  auto wrong = parse_submission_body(body.dump(), kLimit);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().status, 400);
  EXPECT_NE(wrong.error().message.find("entry_point"), std::string::npos);
  body["entry_point"] = nullptr;
  body["files"][0]["data"] =
      testenv::base64_encode(testenv::make_zip({{"s/a.cpp", "int a;"}, {"s/b.cpp", "int b;"}}));
  auto several = parse_submission_body(body.dump(), kLimit);
  ASSERT_TRUE(several.ok()) << several.error().message;
  ASSERT_EQ(several.value().files.size(), 2u);
  EXPECT_EQ(several.value().files[1].name, "s/b.cpp");
  EXPECT_EQ(several.value().files[1].content, "int b;");
  EXPECT_TRUE(several.value().source.empty());
  body["files"][0]["data"] =
      testenv::base64_encode(testenv::make_zip({{"a.c", "0123456789abcdefg"}}));
  auto big = parse_submission_body(body.dump(), kLimit);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().status, 413) << "the zip's content counts against the source limit";
}

TEST(SubmissionBodyTest, SourceExactlyAtTheLimitIsAccepted) {
  auto r = parse_submission_body(
      R"({"problem_id":"p","language_id":"c","source":"1234567890123456"})", kLimit);
  EXPECT_TRUE(r.ok());
}

TEST(JudgementUpdateTest, AcceptsKnownTypesOnly) {
  auto ok = parse_judgement_update(R"({"judgement_type_id":"WA"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), domain::Verdict::WA);
  auto unknown = parse_judgement_update(R"({"judgement_type_id":"XX"})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().status, 422);
  auto missing = parse_judgement_update(R"({})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().status, 400);
  EXPECT_NE(missing.error().message.find("judgement_type_id"), std::string::npos);
}

TEST(LoginBodyTest, NeedsUsernameAndPassword) {
  auto ok = parse_login_body(R"({"username":"team1","password":"pw"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().username, "team1");
  EXPECT_EQ(ok.value().password, "pw");
  auto bad = parse_login_body(R"({"username":"team1","password":null})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status, 400);
  EXPECT_NE(bad.error().message.find("password"), std::string::npos);
}

TEST(ContentTypeTest, AcceptsJsonMediaTypesOnly) {
  for (const char* json :
       {"application/json", "Application/JSON", "application/json; charset=utf-8",
        " application/json ;charset=UTF-8", "application/problem+json"})
    EXPECT_TRUE(is_json_content_type(json)) << json;
  for (const char* other : {"", "text/plain", "text/json", "application/x-www-form-urlencoded",
                            "multipart/form-data; boundary=x", "application/jsonx",
                            "application/+json", "json", "application/zip", ";;;/"})
    EXPECT_FALSE(is_json_content_type(other)) << other;
}

TEST(ContentLengthTest, DigitsOnly) {
  EXPECT_EQ(parse_content_length("0"), 0u);
  EXPECT_EQ(parse_content_length(" 1024 "), 1024u);
  EXPECT_EQ(parse_content_length("18446744073709551615"), UINT64_MAX);
  for (const char* bad :
       {"", " ", "-1", "+1", "1e3", "abc", "12abc", "0x10", "1 2", "18446744073709551616"})
    EXPECT_FALSE(parse_content_length(bad)) << bad;
}

TEST(Base64Test, DecodesRfc4648Vectors) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zm9vYg"), "foob");  // padding optional
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Z"));
}

TEST(AuthorizationTest, SplitsBearerAndBasic) {
  auto bearer = parse_authorization("Bearer abc.def.ghi");
  ASSERT_TRUE(bearer.ok());
  EXPECT_EQ(std::get<BearerCredentials>(bearer.value()).token, "abc.def.ghi");
  auto basic = parse_authorization("basic dGVhbTE6cDpzcw==");  // team1:p:ss
  ASSERT_TRUE(basic.ok());
  const auto& credentials = std::get<BasicCredentials>(basic.value());
  EXPECT_EQ(credentials.username, "team1");
  EXPECT_EQ(credentials.password, "p:ss");
}

TEST(AuthorizationTest, RejectsMalformedHeadersWith401) {
  for (const char* header : {"", "Bearer", "Bearer ", "Digest abc", "Basic !!!", "Basic Zm9v"}) {
    auto r = parse_authorization(header);
    ASSERT_FALSE(r.ok()) << header;
    EXPECT_EQ(r.error().status, 401) << header;
  }
}

TEST(ContestPatchTest, AcceptsTheClicsShapesAndFinalize) {
  auto thaw =
      parse_contest_patch(R"({"id":"c1","scoreboard_thaw_time":"2026-11-28T10:00:00Z"})", "c1");
  ASSERT_TRUE(thaw.ok()) << thaw.error().message;
  EXPECT_EQ(thaw.value().kind, ContestPatch::Kind::Thaw);
  EXPECT_EQ(thaw.value().time_ms, 1795860000000);
  auto start = parse_contest_patch(R"({"start_time":"2026-11-28T10:00:00Z"})", "c1");
  ASSERT_TRUE(start.ok()) << start.error().message;
  EXPECT_EQ(start.value().kind, ContestPatch::Kind::Start);
  EXPECT_EQ(start.value().time_ms, 1795860000000);
  auto unschedule = parse_contest_patch(R"({"id":"c1","start_time":null})", "c1");
  ASSERT_TRUE(unschedule.ok()) << unschedule.error().message;
  EXPECT_EQ(unschedule.value().kind, ContestPatch::Kind::Start);
  EXPECT_FALSE(unschedule.value().time_ms);
  auto finalize = parse_contest_patch(R"({"finalized":true})", "c1");
  ASSERT_TRUE(finalize.ok()) << finalize.error().message;
  EXPECT_EQ(finalize.value().kind, ContestPatch::Kind::Finalize);
  auto settings =
      parse_contest_patch(R"({"id":"c1","duration":"6:00:00","penalty_time":10})", "c1");
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings.value().kind, ContestPatch::Kind::Settings);
}

TEST(ContestPatchTest, RejectsBadBodies) {
  struct Case {
    const char* body;
    int status;
  };
  const Case cases[] = {
      {"{nope", 400},
      {"[]", 400},
      {"{}", 400},
      {R"({"id":"c1"})", 400},
      {R"({"scoreboard_thaw_time":5})", 400},
      {R"({"scoreboard_thaw_time":null})", 400},
      {R"({"scoreboard_thaw_time":"tomorrow"})", 400},
      {R"({"start_time":"tomorrow"})", 400},
      {R"({"start_time":17})", 400},
      {R"({"id":"c2","scoreboard_thaw_time":"2026-11-28T10:00:00Z"})", 400},
      {R"({"id":7,"finalized":true})", 400},
      {R"({"finalized":"yes"})", 400},
      {R"({"finalized":false})", 422},
      {R"({"color":"red"})", 422},
      {R"({"duration":"1:00:00","finalized":true})", 422},
      {R"({"start_time":null,"finalized":true})", 422},
  };
  for (const auto& c : cases) {
    auto r = parse_contest_patch(c.body, "c1");
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().status, c.status) << c.body << ": " << r.error().message;
  }
}
TEST(RejudgingTest, TakesIdsOrAProblemNeverBoth) {
  auto ids = parse_rejudging(R"({"submission_ids":["17","18"]})");
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  EXPECT_EQ(ids.value().submission_ids, (std::vector<int64_t>{17, 18}));
  auto problem = parse_rejudging(R"({"problem_id":"sum"})");
  ASSERT_TRUE(problem.ok()) << problem.error().message;
  EXPECT_EQ(problem.value().problem_id, "sum");
  const std::pair<const char*, int> bad[] = {
      {"{}", 400},
      {R"({"submission_ids":["1"],"problem_id":"sum"})", 400},
      {R"({"submission_ids":[]})", 400},
      {R"({"submission_ids":"1"})", 400},
      {R"({"submission_ids":[1]})", 422},
      {R"({"submission_ids":["x"]})", 422},
      {R"({"submission_ids":["-1"]})", 422},
      {R"({"problem_id":"../x"})", 422},
      {R"({"problem_id":5})", 400},
  };
  for (const auto& [body, status] : bad) {
    auto r = parse_rejudging(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().status, status) << body << ": " << r.error().message;
  }
}
}  // namespace
}  // namespace api
