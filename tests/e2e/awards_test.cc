// Awards end to end (issue 18 item 2): a fresh database, verdicts recorded through the one Store
// path (no workers), read back over HTTP from a real judge-api: GET awards per role during the
// freeze, the awards events of the feed, medal settings, and finalizing (refused while a
// submission is unjudged or judged JE; B given with it).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/judging_store.h"
#include "core/setup_store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using json = nlohmann::json;
constexpr int64_t kMinute = 60'000;

class AwardsEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    now = core::now_ms();
    seed();
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{"DATABASE_URL=" + db.url(), "REDIS_URL=" + testenv::redis_url(),
                                 "JWT_SECRET=aw-secret", "JUDGE_LOG_LEVEL=warn"});
    ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "judge-api did not come up";
    jury = testenv::login(port, "jury", "pw2");
    team = testenv::login(port, "team1", "pw1");
  }
  void TearDown() override { EXPECT_EQ(api->stop(), 0); }

  void seed() {
    core::Store store(db.url());
    core::SetupStore setup(store);
    // "live": running, frozen from minute 240 of 300, now at minute 250.
    // "over": ended 100 minutes ago, never frozen.
    setup.upsert_contest({"live", "Live", "Live", now - 250 * kMinute, 300 * kMinute, 60 * kMinute,
                          20, "pass-fail"});
    setup.upsert_contest({"over", "Over", "Over", now - 400 * kMinute, 300 * kMinute, std::nullopt,
                          20, "pass-fail"});
    for (const char* cid : {"live", "over"}) {
      for (const char* id : {"A", "B"}) {
        core::NewProblem p;
        p.problem = {cid, id, id, id};
        p.tests = {{"1\n", "1\n", false}};
        setup.replace_problem(p);
      }
    }
    for (const char* id : {"t1", "t2", "t3"}) {
      setup.upsert_team({id, id, id});
      setup.add_team_to_contest("live", id);
      setup.add_team_to_contest("over", id);
    }
    core::AccountStore accounts(store);
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("jury", core::hash_password("pw2"), core::Role::Jury, std::nullopt);
    // live, true board: t3 A 50 + B 245 (frozen period) leads; t2 A 30; t1 A 20 after a WA.
    // Public board (from minute 240 pending): t2 30, t1 40, t3 50.
    record(store, "live", "t1", "A", 10, "WA");
    record(store, "live", "t1", "A", 20, "AC");
    record(store, "live", "t2", "A", 30, "AC");
    record(store, "live", "t2", "B", 100, "WA");
    record(store, "live", "t3", "A", 50, "AC");
    record(store, "live", "t3", "B", 245, "AC");
  }

  // A submission at contest minute `minute`, judged `verdict` ("" = still queued); its id.
  int64_t record(core::Store& store, const std::string& cid, const std::string& team_id,
                 const std::string& problem, int64_t minute, const std::string& verdict) {
    const int64_t start = cid == "live" ? now - 250 * kMinute : now - 400 * kMinute;
    auto s = core::SubmissionStore(store).create_submission({cid, team_id, problem, "c", "x"});
    db.scalar("UPDATE submissions SET submitted_at = to_timestamp(" +
              std::to_string(start + minute * kMinute) +
              "::double precision / 1000) WHERE id = " + std::to_string(s.id) + " RETURNING id");
    if (!verdict.empty()) judge(store, cid, s.id, verdict);
    return s.id;
  }
  void judge(core::Store& store, const std::string& cid, int64_t id, const std::string& verdict) {
    auto attempt = core::JudgingStore(store).claim(id, cid, "w1", 30);
    ASSERT_TRUE(attempt);
    core::Judgement j;
    j.submission_id = id;
    j.verdict = domain::parse_verdict(verdict).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    ASSERT_EQ(core::JudgingStore(store)
                  .record_judgement(j, {core::Fence::Kind::Worker, attempt->attempt})
                  .status,
              core::RecordStatus::Recorded);
  }

  testenv::HttpResponse send(const std::string& method, const std::string& path,
                             const std::string& token, const std::string& body = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return testenv::http(port, method, path, body, headers);
  }
  json get(const std::string& path, const std::string& token = "") {
    auto r = send("GET", path, token);
    EXPECT_EQ(r.status, 200) << path << " -> " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  // Awards by id, team ids joined by spaces.
  std::map<std::string, std::string> awards(const std::string& cid, const std::string& token) {
    std::map<std::string, std::string> out;
    for (const auto& award : get("/api/contests/" + cid + "/awards", token)) {
      std::string teams;
      for (const auto& t : award["team_ids"])
        teams += (teams.empty() ? "" : " ") + t.get<std::string>();
      out[award["id"].get<std::string>()] = teams;
    }
    return out;
  }

  testenv::FreshDatabase db;
  int64_t now = 0;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
  std::string jury, team;
};

TEST_F(AwardsEndToEnd, DuringTheFreezeOnlyTheJurySeesTheTrueAwards) {
  auto by_jury = awards("live", jury), by_team = awards("live", team),
       anonymous = awards("live", "");
  EXPECT_EQ(by_jury["winner"], "t3");
  EXPECT_EQ(by_jury["first-to-solve-B"], "t3") << "solved in the frozen period";
  EXPECT_EQ(by_jury["first-to-solve-A"], "t1");
  EXPECT_EQ(by_jury["gold-medal"], "t1 t2 t3");
  EXPECT_EQ(anonymous["winner"], "t2") << "the public's winner is the frozen board's";
  EXPECT_EQ(anonymous["first-to-solve-B"], "") << "a frozen-period solve stays hidden";
  EXPECT_EQ(anonymous["first-to-solve-A"], "t1");
  EXPECT_EQ(anonymous["rank-1"], "t2");
  EXPECT_EQ(by_team, anonymous) << "teams get the public view";
  // One award by id, with the CLICS shape.
  json one = get("/api/contests/live/awards/first-to-solve-B", jury);
  EXPECT_EQ(one, json({{"id", "first-to-solve-B"},
                       {"citation", "First to solve problem B"},
                       {"team_ids", {"t3"}}}));
  EXPECT_EQ(get("/api/contests/live/awards/first-to-solve-B")["team_ids"], json::array());
  EXPECT_EQ(send("GET", "/api/contests/live/awards/nope", "").status, 404);
  EXPECT_EQ(send("GET", "/api/contests/none/awards", "").status, 404);
  // After the thaw the public sees the true awards.
  ASSERT_EQ(send("PATCH", "/api/contests/live", jury,
                 json{{"scoreboard_thaw_time", core::format_time(core::now_ms())}}.dump())
                .status,
            200);
  EXPECT_EQ(awards("live", "")["winner"], "t3");
  EXPECT_EQ(awards("live", "")["first-to-solve-B"], "t3");
}

// The feed's last awards event per id, for one caller (stream=false ends once caught up).
std::map<std::string, json> feed_awards(int port, const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  auto r = testenv::http(port, "GET", "/api/contests/live/event-feed?stream=false", "", headers);
  std::map<std::string, json> last;
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    json event = json::parse(line);
    if (event["type"] == "awards") last[event["id"].get<std::string>()] = event["data"];
  }
  return last;
}

TEST_F(AwardsEndToEnd, FeedEventsFollowEachViewAndHideTheFreeze) {
  // The feed hub writes awards events within about a second of a change.
  std::map<std::string, json> anonymous, by_jury;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    anonymous = feed_awards(port, "");
    by_jury = feed_awards(port, jury);
    if (anonymous.count("winner") && by_jury.count("winner")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(anonymous.count("winner")) << "no awards event in the public feed";
  EXPECT_EQ(anonymous["winner"]["team_ids"], json({"t2"}));
  EXPECT_EQ(anonymous["first-to-solve-B"]["team_ids"], json::array());
  EXPECT_EQ(by_jury["winner"]["team_ids"], json({"t3"})) << "the jury's feed ends on the truth";
  EXPECT_EQ(by_jury["first-to-solve-B"]["team_ids"], json({"t3"}));
  EXPECT_EQ(feed_awards(port, team), anonymous) << "a team's feed has the public awards";
  // A rejudge that takes t1's solve of A away moves first-to-solve-A to t2, in both feeds.
  auto current = db.scalar(
      "SELECT j.id FROM judgements j JOIN submissions s ON s.id = j.submission_id WHERE "
      "s.contest_id = 'live' AND s.team_id = 't1' AND j.is_current AND j.verdict = 'AC'");
  ASSERT_EQ(
      send("PUT", "/api/contests/live/judgements/" + current, jury, R"({"judgement_type_id":"WA"})")
          .status,
      200);
  while (std::chrono::steady_clock::now() < deadline + std::chrono::seconds(10)) {
    anonymous = feed_awards(port, "");
    if (anonymous["first-to-solve-A"]["team_ids"] == json({"t2"})) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(anonymous["first-to-solve-A"]["team_ids"], json({"t2"}));
  EXPECT_EQ(feed_awards(port, jury)["first-to-solve-A"]["team_ids"], json({"t2"}));
}

TEST_F(AwardsEndToEnd, FinalizeWaitsForUnjudgedAndJudgingErrorThenGivesFinalResults) {
  core::Store store(db.url());
  record(store, "over", "t1", "A", 10, "AC");
  record(store, "over", "t2", "A", 20, "AC");
  const int64_t queued = record(store, "over", "t3", "A", 30, "");
  const std::string path = "/api/contests/over";
  EXPECT_TRUE(get(path + "/scoreboard")["state"]["finalized"].is_null()) << "not final yet";
  auto refused = send("PATCH", path, jury, R"({"finalized":true})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("1 submission(s) not judged yet"), std::string::npos) << refused.body;
  judge(store, "over", queued, "JE");
  refused = send("PATCH", path, jury, R"({"finalized":true})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("1 submission(s) judged JE"), std::string::npos) << refused.body;
  EXPECT_TRUE(get(path + "/state")["finalized"].is_null());
  // The jury overrides the JE (as a rejudge would): now t3 solved A at 30.
  auto je = db.scalar("SELECT id FROM judgements WHERE submission_id = " + std::to_string(queued) +
                      " AND is_current");
  ASSERT_EQ(send("PUT", path + "/judgements/" + je, jury, R"({"judgement_type_id":"AC"})").status,
            200);
  // One gold, one silver, no bronze: t3 would get nothing without B.
  auto settings =
      send("PATCH", path, jury, R"({"gold_medals":1,"silver_medals":1,"bronze_medals":0})");
  ASSERT_EQ(settings.status, 200) << settings.body;
  EXPECT_EQ(json::parse(settings.body)["gold_medals"], 1);
  EXPECT_EQ(awards("over", "")["bronze-medal"], "");
  EXPECT_EQ(send("PATCH", path, jury, R"({"finalized":true,"extra_bronze":-1})").status, 422);
  EXPECT_EQ(send("PATCH", path, team, R"({"finalized":true})").status, 403);
  auto finalized = send("PATCH", path, jury, R"({"finalized":true,"extra_bronze":1})");
  ASSERT_EQ(finalized.status, 200) << finalized.body;
  EXPECT_EQ(json::parse(finalized.body)["extra_bronze"], 1);
  EXPECT_TRUE(get(path + "/scoreboard")["state"]["finalized"].is_string());
  auto final_awards = awards("over", "");
  EXPECT_EQ(final_awards["winner"], "t1");
  EXPECT_EQ(final_awards["gold-medal"], "t1");
  EXPECT_EQ(final_awards["silver-medal"], "t2");
  EXPECT_EQ(final_awards["bronze-medal"], "t3") << "B = 1 extra bronze";
  EXPECT_EQ(final_awards["first-to-solve-A"], "t1");
  EXPECT_EQ(final_awards, awards("over", jury)) << "final: one truth for everyone";
  EXPECT_EQ(send("PATCH", path, jury, R"({"gold_medals":4})").status, 409) << "finalized";
}

}  // namespace
