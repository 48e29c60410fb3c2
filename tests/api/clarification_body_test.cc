// parse_clarification_body: what each sender may put in a clarification, every refusal naming
// the property.
#include "parse/clarification_body.h"

#include <gtest/gtest.h>

#include <string>

namespace api {
namespace {

constexpr auto kTeam = ClarificationSender::Team;
constexpr auto kJury = ClarificationSender::Jury;
constexpr const char* kTime = R"("time": "2026-11-22T10:00:00Z")";

// The refusal's status, with its message checked to start with `field`.
int refused(std::string_view body, ClarificationSender sender, const std::string& field,
            const std::optional<std::string>& put_id = std::nullopt) {
  auto parsed = parse_clarification_body(body, sender, put_id);
  if (parsed.ok()) {
    ADD_FAILURE() << "accepted: " << body;
    return 0;
  }
  EXPECT_EQ(parsed.error().message.rfind(field, 0), 0u)
      << "'" << parsed.error().message << "' does not name " << field;
  return parsed.error().status;
}

TEST(ClarificationBodyTest, TeamAsksGeneralOrAboutAProblem) {
  auto general = parse_clarification_body(R"({"text": "May I ask?"})", kTeam, std::nullopt);
  ASSERT_TRUE(general.ok());
  EXPECT_EQ(general.value().text, "May I ask?");
  EXPECT_FALSE(general.value().problem_id);
  EXPECT_FALSE(general.value().time_ms);
  auto about = parse_clarification_body(
      R"({"text": "Round?", "problem_id": "asteroids", "from_team_id": "t1", "reply_to_id": null})",
      kTeam, std::nullopt);
  ASSERT_TRUE(about.ok());
  EXPECT_EQ(about.value().problem_id, "asteroids");
  EXPECT_EQ(about.value().from_team_id, "t1");
}

TEST(ClarificationBodyTest, TeamMayNotSetWhatTheServerDecides) {
  EXPECT_EQ(refused(R"({"text": "q", "id": "x"})", kTeam, "id"), 400);
  EXPECT_EQ(refused(R"({"text": "q", "to_team_id": "t2"})", kTeam, "to_team_id"), 400);
  EXPECT_EQ(refused(std::string(R"({"text": "q", )") + kTime + "}", kTeam, "time"), 400);
  EXPECT_EQ(refused(R"({"text": "q", "contest_time": "0:01:00.000"})", kTeam, "contest_time"), 400);
}

TEST(ClarificationBodyTest, MalformedAndWrongTypesAre400s) {
  EXPECT_EQ(refused(R"({"text": )", kTeam, "malformed JSON"), 400);
  EXPECT_EQ(refused(R"(["text"])", kTeam, "the body must be a JSON object"), 400);
  EXPECT_EQ(refused(R"({})", kTeam, "text"), 400);
  EXPECT_EQ(refused(R"({"text": 5})", kTeam, "text"), 400);
  EXPECT_EQ(refused(R"({"text": "q", "problem_id": 7})", kTeam, "problem_id"), 400);
  EXPECT_EQ(refused(R"({"text": "q", "reply_to_id": ["1"]})", kTeam, "reply_to_id"), 400);
  EXPECT_EQ(refused(R"({"text": "q", "question": "?"})", kTeam, "question"), 400);
  EXPECT_EQ(refused(R"({"text": "q", "time": "yesterday"})", kJury, "time"), 400);
}

TEST(ClarificationBodyTest, TextLimits) {
  EXPECT_EQ(refused(R"({"text": ""})", kTeam, "text"), 422);
  EXPECT_EQ(refused(R"({"text": " \n\t"})", kTeam, "text"), 422);
  EXPECT_EQ(refused(R"({"text": "a\u0000b"})", kTeam, "text"), 422);
  const std::string longest(kMaxClarificationTextBytes, 'x');
  EXPECT_TRUE(
      parse_clarification_body(R"({"text": ")" + longest + R"("})", kTeam, std::nullopt).ok());
  EXPECT_EQ(refused(R"({"text": ")" + longest + R"(x"})", kTeam, "text"), 422);
  EXPECT_EQ(refused(R"({"text": "q", "problem_id": "no such/id"})", kTeam, "problem_id"), 422);
}

TEST(ClarificationBodyTest, JuryRules) {
  // An answer to one team, and an announcement: admin_clar, time required.
  auto answer = parse_clarification_body(
      std::string(R"({"text": "Yes", "reply_to_id": "1", "to_team_id": "t1", )") + kTime + "}",
      kJury, std::nullopt);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer.value().to_team_id, "t1");
  EXPECT_TRUE(answer.value().time_ms);
  EXPECT_EQ(refused(R"({"text": "Announcement"})", kJury, "time"), 400);
  // A question for a team (proxy_clar): the server's time.
  EXPECT_TRUE(
      parse_clarification_body(R"({"text": "q", "from_team_id": "t1"})", kJury, std::nullopt).ok());
  EXPECT_EQ(
      refused(R"({"text": "q", "from_team_id": "t1", "to_team_id": "t2"})", kJury, "to_team_id"),
      400);
  EXPECT_EQ(refused(std::string(R"({"text": "q", "id": "c1", )") + kTime + "}", kJury, "id"), 400);
}

TEST(ClarificationBodyTest, PutTakesThePathsId) {
  auto put = parse_clarification_body(std::string(R"({"text": "a", )") + kTime + "}", kJury,
                                      std::string("wf-1"));
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put.value().id, "wf-1");
  EXPECT_EQ(refused(std::string(R"({"text": "a", "id": "wf-2", )") + kTime + "}", kJury, "id",
                    std::string("wf-1")),
            409);
  EXPECT_EQ(refused(R"({"text": "a", "from_team_id": "t1"})", kJury, "time", std::string("wf-1")),
            400);
}

}  // namespace
}  // namespace api
