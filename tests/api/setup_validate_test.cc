// Table-style tests of the write side's body validation: a good body, then each missing,
// wrong-typed or invalid field with the status it must get and the field its message names.
#include "parse/setup_validate.h"

#include <gtest/gtest.h>

#include <functional>

namespace api {
namespace {

constexpr size_t kMaxTextBytesForTest = 1024;  // fields::kMaxTextBytes, as the message says.

struct BadBody {
  const char* body;
  int status;
  const char* message_contains;
};

// Runs parse on every case; a Result<T> of any T goes through the same checks.
template <class T>
void expect_errors(const std::function<Result<T>(std::string_view)>& parse,
                   const std::vector<BadBody>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    auto r = parse(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().status, c.status) << r.error().message;
    EXPECT_NE(r.error().message.find(c.message_contains), std::string::npos) << r.error().message;
  }
}

TEST(UserBodyTest, AcceptsAValidBody) {
  auto r = parse_user_body(R"({"username":"team1","password":"pw","role":"team","team_id":"t1"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().username, "team1");
  EXPECT_EQ(r.value().role, core::Role::Team);
  EXPECT_EQ(r.value().team_id, "t1");
  auto jury = parse_user_body(R"({"username":"j","password":"pw","role":"jury"})");
  ASSERT_TRUE(jury.ok()) << jury.error().message;
  EXPECT_FALSE(jury.value().team_id);
}

TEST(UserBodyTest, ReportsTheField) {
  expect_errors<UserRequest>(
      parse_user_body,
      {{"{", 400, "malformed JSON"},
       {R"({"password":"pw","role":"jury"})", 400, "username: required"},
       {R"({"username":1,"password":"pw","role":"jury"})", 400, "username: must be a string"},
       {R"({"username":"a b","password":"pw","role":"jury"})", 422, "username"},
       {R"({"username":"j","role":"jury"})", 400, "password: required"},
       {R"({"username":"j","password":"","role":"jury"})", 422, "password: must not be empty"},
       {R"({"username":"j","password":"pw"})", 400, "role: required"},
       {R"({"username":"j","password":"pw","role":"root"})", 422, "role"},
       {R"({"username":"j","password":"pw","role":"team"})", 400, "team_id: required"},
       {R"({"username":"j","password":"pw","role":"team","team_id":5})", 400, "team_id"},
       {R"({"username":"j","password":"pw","role":"team","team_id":"-x"})", 422, "team_id"}});
}

constexpr const char* kContest =
    R"({"id":"wf","name":"WF","start_time":"2026-11-22T10:00:00.000+00:00","duration":"5:00:00",
        "scoreboard_freeze_duration":"1:00:00","penalty_time":20,"scoreboard_type":"pass-fail"})";

TEST(ContestBodyTest, AcceptsAValidBody) {
  auto r = parse_contest_body(kContest);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().id, "wf");
  EXPECT_EQ(r.value().duration_ms, 5 * 3600 * 1000);
  EXPECT_EQ(r.value().freeze_ms, 3600 * 1000);
  ASSERT_TRUE(r.value().start_ms);
  auto minimal = parse_contest_body(R"({"name":"X","start_time":null,"duration":"1:00:00"})");
  ASSERT_TRUE(minimal.ok()) << minimal.error().message;
  EXPECT_TRUE(minimal.value().id.empty()) << "the handler generates an id";
  EXPECT_FALSE(minimal.value().start_ms);
  EXPECT_EQ(minimal.value().scoreboard_type, "pass-fail");
}

TEST(ContestBodyTest, ReportsTheField) {
  expect_errors<core::Contest>(
      parse_contest_body,
      {{"[]", 400, "JSON object"},
       {R"({"start_time":null,"duration":"1:00:00"})", 400, "name: required"},
       {R"({"name":"","start_time":null,"duration":"1:00:00"})", 422, "name"},
       {R"({"id":"bad id","name":"X","start_time":null,"duration":"1:00:00"})", 422, "id"},
       {R"({"name":"X","duration":"1:00:00"})", 400, "start_time: required"},
       {R"({"name":"X","start_time":"yesterday","duration":"1:00:00"})", 400, "start_time"},
       {R"({"name":"X","start_time":5,"duration":"1:00:00"})", 400, "start_time"},
       {R"({"name":"X","start_time":null})", 400, "duration: required"},
       {R"({"name":"X","start_time":null,"duration":"5 hours"})", 400, "duration"},
       {R"({"name":"X","start_time":null,"duration":"0:00:00"})", 422, "duration"},
       {R"({"name":"X","start_time":null,"duration":"-1:00:00"})", 422, "duration"},
       {R"({"name":"X","start_time":null,"duration":"1:00:00","scoreboard_freeze_duration":"2:00:00"})",
        422, "scoreboard_freeze_duration"},
       {R"({"name":"X","start_time":null,"duration":"1:00:00","penalty_time":"20"})", 400,
        "penalty_time"},
       {R"({"name":"X","start_time":null,"duration":"1:00:00","penalty_time":1.5})", 400,
        "penalty_time"},
       {R"({"name":"X","start_time":null,"duration":"1:00:00","penalty_time":-1})", 422,
        "penalty_time"},
       {R"({"name":"X","start_time":null,"duration":"1:00:00","scoreboard_type":"icpc"})", 422,
        "scoreboard_type"},
       {R"({"name":"X","start_time":null,"duration":"1:00:00","formal_name":7})", 400,
        "formal_name"},
       {R"({"name":"X","start_time":null,"duration":"8785:00:00"})", 422, "duration: longer"},
       // Once a crash: hours whose milliseconds overflow an int64.
       {R"({"name":"X","start_time":null,"duration":"9999999999999:00:00"})", 400, "duration"},
       {R"({"name":"X","start_time":"2026-11-22T-1:00:00Z","duration":"1:00:00"})", 400,
        "start_time"}});
  auto year = parse_contest_body(R"({"name":"X","start_time":null,"duration":"8784:00:00"})");
  EXPECT_TRUE(year.ok()) << "366 days is the longest contest";
}

// Free text goes to Postgres text columns: no NUL (it would be cut off there) and no megabytes.
TEST(TextFieldsTest, RefuseNulAndHugeText) {
  const std::string huge(kMaxTextBytesForTest + 1, 'x');
  const std::string at_limit(kMaxTextBytesForTest, 'x');
  const std::string huge_name = R"({"name":")" + huge + R"("})";
  const std::string huge_password =
      R"({"username":"u","role":"jury","password":")" + huge + R"("})";
  expect_errors<core::Group>(parse_group_body,
                             {{R"({"name":"a\u0000b"})", 422, "name: must not contain a NUL"},
                              {huge_name.c_str(), 422, "name: longer than 1024 bytes"}});
  EXPECT_TRUE(parse_group_body(R"({"name":")" + at_limit + R"("})").ok());
  expect_errors<core::Contest>(
      parse_contest_body,
      {{R"({"name":"X","formal_name":"a\u0000","start_time":null,"duration":"1:00:00"})", 422,
        "formal_name"}});
  expect_errors<core::Team>(parse_team_body,
                            {{R"({"name":"T","display_name":"\u0000"})", 422, "display_name"}});
  expect_errors<UserRequest>(parse_user_body, {{huge_password.c_str(), 422, "password: longer"}});
}

TEST(OrganizationBodyTest, AcceptsAndReports) {
  auto r =
      parse_organization_body(R"({"id":"uva","name":"UvA","formal_name":"U","country":"NLD"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().country, "NLD");
  expect_errors<core::Organization>(parse_organization_body,
                                    {{R"({"id":"uva"})", 400, "name: required"},
                                     {R"({"name":"U","country":"nl"})", 422, "country"},
                                     {R"({"name":"U","country":1})", 400, "country"},
                                     {R"({"id":".x","name":"U"})", 422, "id"}});
}

TEST(GroupBodyTest, AcceptsAndReports) {
  auto r = parse_group_body(R"({"id":"students","name":"Students"})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().name, "Students");
  expect_errors<core::Group>(parse_group_body, {{R"({"id":"g"})", 400, "name: required"},
                                                {R"({"name":["x"]})", 400, "name"}});
}

TEST(TeamBodyTest, AcceptsAValidBody) {
  auto r = parse_team_body(
      R"({"id":"t1","name":"Team","display_name":"T","organization_id":"uva","group_ids":["a","b"]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().organization_id, "uva");
  EXPECT_EQ(r.value().group_ids, (std::vector<std::string>{"a", "b"}));
}

TEST(TeamBodyTest, ReportsTheField) {
  expect_errors<core::Team>(
      parse_team_body, {{R"({"id":"t1"})", 400, "name: required"},
                        {R"({"name":"T","display_name":false})", 400, "display_name"},
                        {R"({"name":"T","organization_id":3})", 400, "organization_id"},
                        {R"({"name":"T","organization_id":"a/b"})", 422, "organization_id"},
                        {R"({"name":"T","group_ids":"a"})", 400, "group_ids"},
                        {R"({"name":"T","group_ids":["a",1]})", 400, "group_ids[1]"},
                        {R"({"name":"T","group_ids":["a","a"]})", 422, "group_ids[1]: duplicate"}});
}

TEST(TeamBodyTest, TheJuryTeamIdIsReserved) {
  expect_errors<core::Team>(parse_team_body,
                            {{R"({"id":"_jury","name":"T"})", 422, "id: '_jury' is reserved"}});
  expect_errors<UserRequest>(
      parse_user_body, {{R"({"username":"u","password":"pw","role":"team","team_id":"_jury"})", 422,
                         "team_id: '_jury' is reserved"}});
}

constexpr const char* kProblem =
    R"({"id":"sum","label":"A","name":"Sum","ordinal":1,"rgb":"#ff0000","time_limit":1.5,
        "memory_limit":256,"output_limit":8,"validator_flags":"float_tolerance 1e-6 case_sensitive",
        "test_cases":[{"input":"1 2\n","answer":"3\n","sample":true},{"input":"2 2\n","answer":"4\n"}]})";

TEST(ProblemBodyTest, AcceptsAValidBody) {
  auto r = parse_problem_body(kProblem);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& p = r.value().problem;
  EXPECT_EQ(p.time_limit_ms, 1500);
  EXPECT_EQ(p.memory_limit_kib, 256 * 1024);
  EXPECT_EQ(p.output_limit_kib, 8 * 1024);
  EXPECT_EQ(p.rgb, "#ff0000");
  ASSERT_EQ(r.value().tests.size(), 2u);
  EXPECT_TRUE(r.value().tests[0].is_sample);
  EXPECT_FALSE(r.value().tests[1].is_sample);
  EXPECT_EQ(p.test_count, 2);
}

TEST(ProblemBodyTest, ReportsTheField) {
  const std::string tests = R"("test_cases":[{"input":"1","answer":"1"}])";
  auto body = [&](const std::string& fields) { return "{" + fields + "," + tests + "}"; };
  const std::string base = R"("id":"p","label":"A","name":"P","time_limit":1)";
  std::vector<std::string> bodies = {
      body(R"("label":"A","name":"P","time_limit":1)"),
      body(R"("id":"p p","label":"A","name":"P","time_limit":1)"),
      body(R"("id":"p","name":"P","time_limit":1)"),
      body(R"("id":"p","label":"A","time_limit":1)"),
      body(R"("id":"p","label":"A","name":"P")"),
      body(R"("id":"p","label":"A","name":"P","time_limit":"1")"),
      body(R"("id":"p","label":"A","name":"P","time_limit":0)"),
      body(R"("id":"p","label":"A","name":"P","time_limit":-2)"),
      body(base + R"(,"memory_limit":0)"),
      body(base + R"(,"memory_limit":1.5)"),
      body(base + R"(,"output_limit":-1)"),
      body(base + R"(,"rgb":"red")"),
      body(base + R"(,"ordinal":"1")"),
      body(base + R"(,"validator_flags":"case_insensitive")"),
      body(base + R"(,"validator_flags":"float_tolerance")"),
      body(base + R"(,"validator_flags":"float_absolute_tolerance x")"),
      body(base + R"(,"validator_flags":3)"),
      "{" + base + "}",
      "{" + base + R"(,"test_cases":[])" + "}",
      "{" + base + R"(,"test_cases":{})" + "}",
      "{" + base + R"(,"test_cases":[{"input":"1"}])" + "}",
      "{" + base + R"(,"test_cases":[{"input":"1","answer":"1"},{"answer":"1"}])" + "}",
      "{" + base + R"(,"test_cases":[{"input":"1","answer":"1","sample":"yes"}])" + "}",
      "{" + base + R"(,"test_cases":[7])" + "}",
  };
  std::vector<std::pair<int, const char*>> expected = {
      {400, "id: required"},
      {422, "id"},
      {400, "label: required"},
      {400, "name: required"},
      {400, "time_limit: required"},
      {400, "time_limit: must be a number"},
      {422, "time_limit"},
      {422, "time_limit"},
      {422, "memory_limit"},
      {400, "memory_limit"},
      {422, "output_limit"},
      {422, "rgb"},
      {400, "ordinal"},
      {422, "validator_flags: unknown flag 'case_insensitive'"},
      {422, "validator_flags: float_tolerance needs a number"},
      {422, "validator_flags"},
      {400, "validator_flags"},
      {400, "test_cases: required"},
      {422, "test_cases"},
      {400, "test_cases: must be an array"},
      {400, "test_cases[0].answer: required"},
      {400, "test_cases[1].input: required"},
      {400, "test_cases[0].sample"},
      {400, "test_cases[0]: must be an object"}};
  ASSERT_EQ(bodies.size(), expected.size());
  std::vector<BadBody> cases;
  for (size_t i = 0; i < bodies.size(); ++i) {
    cases.push_back({bodies[i].c_str(), expected[i].first, expected[i].second});
  }
  expect_errors<core::NewProblem>(parse_problem_body, cases);
}

TEST(ValidatorFlagsTest, AcceptsTheJudgesWords) {
  for (const char* ok : {"", "case_sensitive", "space_change_sensitive",
                         "float_absolute_tolerance 0.5", "float_relative_tolerance 1e-9",
                         "float_tolerance 1e-6 case_sensitive space_change_sensitive"}) {
    EXPECT_FALSE(validator_flags_error(ok)) << ok;
  }
  for (const char* bad : {"case", "float_tolerance", "float_tolerance abc", "float_tolerance -1",
                          "float_tolerance nan"}) {
    EXPECT_TRUE(validator_flags_error(bad)) << bad;
  }
}

}  // namespace
}  // namespace api
