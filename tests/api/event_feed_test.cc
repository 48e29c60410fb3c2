// The event feed's pure parts: who sees which event and the NDJSON line (tokens:
// event_token_test.cc).
#include "resources/event_feed.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace api {
namespace {

using nlohmann::json;

Caller team(const char* id) { return Caller{true, "user-" + std::string(id), core::Role::Team, id}; }
Caller jury() { return Caller{true, "jury1", core::Role::Jury, std::nullopt}; }
Caller admin() { return Caller{true, "admin", core::Role::Admin, std::nullopt}; }
Caller anonymous() { return Caller{}; }

core::Event event(const std::string& type, std::optional<std::string> team_id = std::nullopt) {
  return core::Event{7, type, "x1", R"({"id":"x1"})", std::move(team_id)};
}

constexpr bool kStarted = true, kNotStarted = false;

TEST(EventFeedTest, JuryAndAdminSeeEverythingButAccountsAlways) {
  for (const Caller& caller : {jury(), admin()}) {
    for (const char* type :
         {"contest", "state", "problems", "teams", "submissions", "judgements", "runs"}) {
      for (bool started : {kStarted, kNotStarted}) {
        EXPECT_EQ(event_visibility(caller, event(type), started), Visibility::Show) << type;
        EXPECT_EQ(event_visibility(caller, event(type, "t2"), started), Visibility::Show) << type;
      }
    }
  }
}

TEST(EventFeedTest, ATeamSeesItsOwnTeamEventsAndNoOtherTeams) {
  for (const char* type : {"submissions", "judgements", "runs"}) {
    EXPECT_EQ(event_visibility(team("t1"), event(type, "t1"), kStarted), Visibility::Show) << type;
    EXPECT_EQ(event_visibility(team("t1"), event(type, "t2"), kStarted), Visibility::Hide) << type;
    // A team id that merely starts like another must not match.
    EXPECT_EQ(event_visibility(team("t1"), event(type, "t10"), kStarted), Visibility::Hide);
  }
  Caller teamless{true, "orphan", core::Role::Team, std::nullopt};
  EXPECT_EQ(event_visibility(teamless, event("submissions", "t1"), kStarted), Visibility::Hide);
}

TEST(EventFeedTest, AnonymousSeesPublicEventsOnly) {
  for (const char* type : {"submissions", "judgements", "runs"})
    EXPECT_EQ(event_visibility(anonymous(), event(type, "t1"), kStarted), Visibility::Hide);
  for (const char* type : {"contest", "state", "judgement-types", "languages", "problems",
                           "teams", "organizations", "groups"})
    EXPECT_EQ(event_visibility(anonymous(), event(type), kStarted), Visibility::Show) << type;
}

TEST(EventFeedTest, ProblemsWaitForTheStartExceptForTheJury) {
  EXPECT_EQ(event_visibility(team("t1"), event("problems"), kNotStarted), Visibility::Wait);
  EXPECT_EQ(event_visibility(anonymous(), event("problems"), kNotStarted), Visibility::Wait);
  EXPECT_EQ(event_visibility(team("t1"), event("problems"), kStarted), Visibility::Show);
  EXPECT_EQ(event_visibility(jury(), event("problems"), kNotStarted), Visibility::Show);
  // Only problems are secret before the start.
  EXPECT_EQ(event_visibility(team("t1"), event("teams"), kNotStarted), Visibility::Show);
  EXPECT_EQ(event_visibility(team("t1"), event("state"), kNotStarted), Visibility::Show);
}

// As GET .../accounts: the admin's only.
TEST(EventFeedTest, AccountsAreTheAdminsOnly) {
  EXPECT_EQ(event_visibility(team("t1"), event("accounts"), kStarted), Visibility::Hide);
  EXPECT_EQ(event_visibility(anonymous(), event("accounts"), kStarted), Visibility::Hide);
  EXPECT_EQ(event_visibility(jury(), event("accounts"), kStarted), Visibility::Hide);
  EXPECT_EQ(event_visibility(admin(), event("accounts"), kStarted), Visibility::Show);
  EXPECT_TRUE(event_reader(admin(), kStarted).accounts);
  EXPECT_FALSE(event_reader(jury(), kStarted).accounts);
  EXPECT_FALSE(event_reader(team("t1"), kStarted).accounts);
}

// The stored object is printed as GET prints it (nlohmann's key order, no spaces), through the
// caller's view: a team never gets a run's judge_message, strict leaves our extensions out.
TEST(EventFeedTest, FeedLineDataIsTheCallersView) {
  core::Event e{5, "runs", "3", R"({"memory_kib": 10, "judge_message": "x", "id": "3"})", "t1"};
  auto data_text = [&](const Viewer& viewer) {
    std::string line = feed_line(e, "tok", Visibility::Show, viewer);
    size_t from = line.find("\"data\":") + 7, to = line.rfind(",\"token\"");
    return line.substr(from, to - from);
  };
  EXPECT_EQ(data_text({jury()}), R"({"id":"3","judge_message":"x","memory_kib":10})");
  EXPECT_EQ(data_text({team("t1")}), R"({"id":"3","memory_kib":10})");
  EXPECT_EQ(data_text({jury(), Strictness::Strict}), R"({"id":"3"})");
}

TEST(EventFeedTest, FeedLineIsOneJsonObjectWithTypeIdDataToken) {
  core::Event e{42, "submissions", "17", R"({"id": "17", "team_id": "t1"})", "t1"};
  std::string line = feed_line(e, "0123456789abcdef", Visibility::Show, {team("t1")});
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "exactly one line";
  json parsed = json::parse(line);
  EXPECT_EQ(parsed["type"], "submissions");
  EXPECT_EQ(parsed["id"], "17");
  EXPECT_EQ(parsed["data"], json({{"id", "17"}, {"team_id", "t1"}}));
  EXPECT_EQ(parsed["token"], "0123456789abcdef") << "the token given, not the event id";
  EXPECT_EQ(parsed.size(), 4u) << "team_id is for filtering, not for the client";
}

TEST(EventFeedTest, FeedLineOfASingletonHasANullId) {
  core::Event e{3, "state", std::nullopt, R"({"started": null})", std::nullopt};
  json parsed = json::parse(feed_line(e, "t3", Visibility::Show, {anonymous()}));
  EXPECT_TRUE(parsed.contains("id"));
  EXPECT_TRUE(parsed["id"].is_null());
  EXPECT_EQ(parsed["type"], "state");
  EXPECT_TRUE(parsed["data"]["started"].is_null());
  EXPECT_EQ(parsed["token"], "t3");
}

TEST(EventFeedTest, FeedLineEscapesTheIdAndKeepsNullData) {
  core::Event e{9, "teams", "a\"b", "null", std::nullopt};
  json parsed = json::parse(feed_line(e, "t9", Visibility::Show, {anonymous()}));
  EXPECT_EQ(parsed["id"], "a\"b");
  EXPECT_TRUE(parsed["data"].is_null());
}

// emit_replaced_judgement's events (the judgement again with current: false, and its runs): a
// team sees only current judgements and their runs, so to the team they are deletions; the jury
// sees the update.
TEST(EventFeedTest, AReplacedJudgementIsADeletionForItsTeamOnly) {
  core::Event replaced{8, "judgements", "5", R"({"id": "5", "current": false})", "t1", true};
  core::Event current{9, "judgements", "6", R"({"id": "6", "current": true})", "t1"};
  core::Event replaced_run{10, "runs", "7", R"({"id": "7"})", "t1", true};
  EXPECT_EQ(event_visibility(team("t1"), replaced_run, kStarted), Visibility::Delete);
  EXPECT_EQ(event_visibility(jury(), replaced_run, kStarted), Visibility::Show);
  EXPECT_EQ(event_visibility(team("t1"), replaced, kStarted), Visibility::Delete);
  EXPECT_EQ(event_visibility(team("t1"), current, kStarted), Visibility::Show);
  EXPECT_EQ(event_visibility(team("t2"), replaced, kStarted), Visibility::Hide);
  EXPECT_EQ(event_visibility(jury(), replaced, kStarted), Visibility::Show);
  EXPECT_EQ(event_visibility(anonymous(), replaced, kStarted), Visibility::Hide);

  json line = json::parse(feed_line(replaced, "tok", Visibility::Delete, {team("t1")}));
  EXPECT_EQ(line["type"], "judgements");
  EXPECT_EQ(line["id"], "5");
  EXPECT_TRUE(line["data"].is_null()) << "CLICS: a deletion carries data null";
  EXPECT_EQ(line["token"], "tok");
  EXPECT_EQ(json::parse(feed_line(replaced, "tok", Visibility::Show, {jury()}))["data"]["current"],
            false);
}

// The store's queries (X-Event-Token, since_token) get the same rules as event_visibility.
TEST(EventFeedTest, EventReaderFollowsTheCaller) {
  auto of_jury = event_reader(jury(), kNotStarted);
  EXPECT_TRUE(of_jury.everything);
  EXPECT_TRUE(of_jury.problems_shown) << "the jury sees problems before the start";
  auto of_team = event_reader(team("t1"), kNotStarted);
  EXPECT_FALSE(of_team.everything);
  EXPECT_EQ(of_team.team_id, "t1");
  EXPECT_FALSE(of_team.problems_shown);
  EXPECT_TRUE(event_reader(team("t1"), kStarted).problems_shown);
  auto of_anonymous = event_reader(anonymous(), kStarted);
  EXPECT_FALSE(of_anonymous.everything);
  EXPECT_EQ(of_anonymous.team_id, std::nullopt);
  Caller teamless{true, "orphan", core::Role::Team, std::nullopt};
  EXPECT_EQ(event_reader(teamless, kStarted).team_id, std::nullopt);
}

}  // namespace
}  // namespace api
