#include "services/access.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace api {
namespace {

constexpr int64_t kStart = 1'000'000;
constexpr int64_t kDuration = 5'000;

core::Contest contest() {
  core::Contest c;
  c.id = "c1";
  c.start_ms = kStart;
  c.duration_ms = kDuration;
  return c;
}

Caller team(const char* id = "t1") {
  Caller caller{true, "team1", core::Role::Team, std::nullopt};
  if (id != nullptr) caller.team_id = id;
  return caller;
}
Caller jury() { return Caller{true, "jury1", core::Role::Jury, std::nullopt}; }
Caller anonymous() { return Caller{}; }

TEST(AccessTest, ContestPhaseBoundaries) {
  EXPECT_EQ(contest_phase(contest(), kStart - 1), ContestPhase::NotStarted);
  EXPECT_EQ(contest_phase(contest(), kStart), ContestPhase::Running);
  EXPECT_EQ(contest_phase(contest(), kStart + kDuration - 1), ContestPhase::Running);
  EXPECT_EQ(contest_phase(contest(), kStart + kDuration), ContestPhase::Over);
  core::Contest unscheduled = contest();
  unscheduled.start_ms.reset();
  EXPECT_EQ(contest_phase(unscheduled, kStart), ContestPhase::NotScheduled);
}

TEST(AccessTest, ReadRulesBeforeStart) {
  const int64_t before = kStart - 1;
  EXPECT_FALSE(check_read(jury(), contest(), ContestData::Problems, before));
  EXPECT_FALSE(check_read(team(), contest(), ContestData::Public, before));
  auto team_problems = check_read(team(), contest(), ContestData::Problems, before);
  ASSERT_TRUE(team_problems);
  EXPECT_EQ(team_problems->status, 403);
  EXPECT_TRUE(check_read(anonymous(), contest(), ContestData::Public, before));
}

TEST(AccessTest, EveryoneReadsAfterStart) {
  for (int64_t now : {kStart, kStart + kDuration + 1}) {
    EXPECT_FALSE(check_read(anonymous(), contest(), ContestData::Problems, now));
    EXPECT_FALSE(check_read(team(), contest(), ContestData::Problems, now));
  }
}

TEST(AccessTest, SubmissionsNeedAuthenticationAndATeam) {
  EXPECT_EQ(check_authenticated(anonymous())->status, 401);
  EXPECT_EQ(check_authenticated(team(nullptr))->status, 403);
  EXPECT_FALSE(check_authenticated(team()));
  EXPECT_FALSE(check_authenticated(jury()));
}

TEST(AccessTest, SubmissionTeam) {
  EXPECT_EQ(submission_team(team(), std::nullopt).value(), "t1");
  EXPECT_EQ(submission_team(team(), "t1").value(), "t1");
  EXPECT_EQ(submission_team(team(), "t2").error().status, 403);
  EXPECT_EQ(submission_team(jury(), "t2").value(), "t2");
  auto missing = submission_team(jury(), std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().status, 400);
  EXPECT_NE(missing.error().message.find("team_id"), std::string::npos);
}

TEST(AccessTest, TeamsSubmitOnlyWhileRunning) {
  EXPECT_FALSE(check_submission_window(team(), contest(), kStart));
  auto early = check_submission_window(team(), contest(), kStart - 1);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 403);
  EXPECT_NE(early->message.find("not started"), std::string::npos);
  auto late = check_submission_window(team(), contest(), kStart + kDuration);
  ASSERT_TRUE(late);
  EXPECT_NE(late->message.find("over"), std::string::npos);
  EXPECT_FALSE(check_submission_window(jury(), contest(), kStart + kDuration));
}

TEST(AccessTest, TeamFilterFailsClosed) {
  EXPECT_EQ(team_filter(team()), "t1");
  EXPECT_EQ(team_filter(jury()), std::nullopt);
  EXPECT_EQ(team_filter(team(nullptr)), "");  // matches no team rather than all
}

Caller admin() { return Caller{true, "admin", core::Role::Admin, std::nullopt}; }

TEST(AccessTest, WriteSideRoles) {
  EXPECT_EQ(check_jury(anonymous())->status, 401);
  EXPECT_EQ(check_jury(team())->status, 403);
  EXPECT_FALSE(check_jury(jury()));
  EXPECT_FALSE(check_jury(admin()));
  EXPECT_EQ(check_admin(anonymous())->status, 401);
  EXPECT_EQ(check_admin(team())->status, 403);
  EXPECT_EQ(check_admin(jury())->status, 403);
  EXPECT_FALSE(check_admin(admin()));
}

std::vector<std::string> endpoint_types(const AccessInfo& info) {
  std::vector<std::string> types;
  for (const auto& e : info.endpoints) types.push_back(e.type);
  return types;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(AccessTest, AccessObjectFollowsTheReadRules) {
  auto before = contest_access(anonymous(), contest(), kStart - 1);
  EXPECT_TRUE(before.capabilities.empty());
  EXPECT_EQ(endpoint_types(before), std::vector<std::string>{"contest"});

  auto team_before = endpoint_types(contest_access(team(), contest(), kStart - 1));
  EXPECT_FALSE(has(team_before, "problems")) << "problems stay secret until the start";
  EXPECT_TRUE(has(team_before, "submissions"));
  EXPECT_TRUE(has(team_before, "runs"));
  EXPECT_TRUE(has(team_before, "clarifications")) << "a team reads its own before the start";
  EXPECT_TRUE(
      has(endpoint_types(contest_access(anonymous(), contest(), kStart)), "clarifications"));
  EXPECT_FALSE(has(team_before, "accounts"));
  auto team_during = contest_access(team(), contest(), kStart);
  EXPECT_TRUE(has(endpoint_types(team_during), "problems"));
  EXPECT_EQ(team_during.capabilities, (std::vector<std::string>{"team_submit", "team_clar"}));

  auto jury_access = contest_access(jury(), contest(), kStart - 1);
  EXPECT_TRUE(has(jury_access.capabilities, "proxy_submit"));
  EXPECT_TRUE(has(jury_access.capabilities, "proxy_clar"));
  EXPECT_TRUE(has(jury_access.capabilities, "admin_clar"));
  EXPECT_TRUE(has(endpoint_types(jury_access), "problems"));
  EXPECT_FALSE(has(endpoint_types(jury_access), "accounts"));
  EXPECT_TRUE(has(endpoint_types(contest_access(admin(), contest(), kStart)), "accounts"));
  for (const auto& e : jury_access.endpoints) EXPECT_FALSE(e.properties.empty()) << e.type;
}


TEST(ThawTimeTest, ClampsToNowAndRefusesWhatCannotBeThawed) {
  auto c = contest();
  EXPECT_EQ(thaw_time(c, kStart + kDuration, kStart).error().status, 422) << "no freeze";
  c.freeze_ms = 1'000;
  const int64_t freeze_start = kStart + kDuration - 1'000, end = kStart + kDuration;
  EXPECT_EQ(thaw_time(c, end + 5, end).value(), end + 5) << "scheduled thaw";
  EXPECT_EQ(thaw_time(c, freeze_start, end).value(), end) << "the past means now";
  EXPECT_EQ(thaw_time(c, freeze_start - 1, end).error().status, 422) << "before the freeze";
  c.thawed_ms = end + 10;
  EXPECT_EQ(thaw_time(c, end + 5, end).value(), end + 5) << "a scheduled thaw may be moved";
  EXPECT_EQ(thaw_time(c, end + 20, end + 10).error().status, 422) << "already thawed";
  c.start_ms.reset();
  EXPECT_EQ(thaw_time(c, end, end).error().status, 422) << "not scheduled";
}

TEST(ContestChangeTest, StartMovesOnlyBeforeTheStart) {
  auto c = contest();
  EXPECT_FALSE(check_start_change(c, kStart + 100, kStart - 1)) << "postpone";
  EXPECT_FALSE(check_start_change(c, std::nullopt, kStart - 1)) << "unschedule";
  EXPECT_EQ(check_start_change(c, kStart + 100, kStart)->status, 409) << "started";
  EXPECT_EQ(check_start_change(c, std::nullopt, kStart + kDuration)->status, 409) << "over";
  EXPECT_EQ(check_start_change(c, kStart - 10, kStart - 5)->status, 422) << "in the past";
  EXPECT_EQ(check_start_change(c, kStart - 5, kStart - 5)->status, 422) << "now is not future";
  c.thawed_ms = kStart + kDuration;
  EXPECT_EQ(check_start_change(c, kStart + 100, kStart - 1)->status, 409) << "thaw set";
  c = contest();
  c.start_ms.reset();
  EXPECT_FALSE(check_start_change(c, kStart, kStart - 1)) << "schedule an unscheduled one";
}

TEST(ContestChangeTest, FinalizeOnlyAfterTheEnd) {
  auto c = contest();
  EXPECT_EQ(check_finalize(c, kStart - 1)->status, 409);
  EXPECT_EQ(check_finalize(c, kStart + kDuration - 1)->status, 409);
  EXPECT_FALSE(check_finalize(c, kStart + kDuration));
  c.start_ms.reset();
  EXPECT_EQ(check_finalize(c, kStart + kDuration)->status, 409);
}
}  // namespace
}  // namespace api
