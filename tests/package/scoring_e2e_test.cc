// End to end (Redis db 15): packages imported through judge-api and judged by a real
// judge-worker. A scored package: a submission passing some groups gets their points, and the
// score contest ranks by them. A package's submissions/: judged, hidden from teams, listed for
// the jury with the one misfiled submission as a mismatch.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/queue.h"
#include "core/setup_store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"
#include "worker_harness.h"
#include "zip_builder.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRedisDb = 15;
constexpr int kStartupMs = 30000;
constexpr int kJudgeMs = 180000;

std::string package_zip(const std::string& name) {
  return testenv::zip_folder(std::string(PACKAGES_DIR) + "/" + name);
}

// A running contest of teams t1 and t2, judge-api and one worker.
class ScoringEndToEnd : public ::testing::Test {
 protected:
  void start(const std::string& scoreboard_type) {
    cid = "se" + std::to_string(getpid());
    core::Store store(db.url());
    core::SetupStore setup(store);
    setup.upsert_contest(
        {cid, cid, cid, core::now_ms() - 60'000, 3'600'000, std::nullopt, 20, scoreboard_type});
    for (const char* team : {"t1", "t2"}) {
      setup.upsert_team({team, team, team});
      setup.add_team_to_contest(cid, team);
    }
    core::AccountStore(store).upsert_user("jury", core::hash_password("pw"), core::Role::Jury,
                                          std::nullopt);
    redis_url = testenv::redis_url() + "/" + std::to_string(kRedisDb);
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{"DATABASE_URL=" + db.url(), "REDIS_URL=" + redis_url,
                                 "JWT_SECRET=scoring-e2e", "JUDGE_LOG_LEVEL=warn"});
    ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs));
    token = testenv::login(port, "jury", "pw");
    work = fs::temp_directory_path() / ("scoring-e2e-" + std::to_string(getpid()));
    fs::create_directories(work);
    worker = harness::start_worker(db.url(), redis_url, "sw1", (work / "sw1").string(), {});
  }
  void TearDown() override {
    if (worker) {
      EXPECT_EQ(worker->stop(30000), 0);
    }
    if (api) {
      EXPECT_EQ(api->stop(), 0);
    }
    fs::remove_all(work);
  }

  testenv::HttpResponse get(const std::string& path, bool as_jury = true) {
    std::map<std::string, std::string> headers;
    if (as_jury) headers["Authorization"] = "Bearer " + token;
    return testenv::http(port, "GET", "/api/contests/" + cid + path, "", headers);
  }
  testenv::HttpResponse import(const std::string& package, const std::string& query) {
    return testenv::http(
        port, "POST", "/api/contests/" + cid + "/problems" + query, package_zip(package),
        {{"Content-Type", "application/zip"}, {"Authorization", "Bearer " + token}});
  }
  int64_t submit(const std::string& team, const std::string& problem, const std::string& source) {
    core::Store store(db.url());
    auto s =
        core::SubmissionStore(store).create_submission({cid, team, problem, "python3", source});
    core::RedisAddress address = testenv::redis_address();
    address.db = kRedisDb;
    core::Queue(address).push({s.id, cid});
    return s.id;
  }
  bool all_judged(int count) {
    return db.scalar("SELECT count(*) FROM submissions WHERE state = 'judged'") ==
           std::to_string(count);
  }

  testenv::FreshDatabase db;
  std::string cid, redis_url, token;
  int port = 0;
  fs::path work;
  std::unique_ptr<testenv::Process> api, worker;
};

TEST_F(ScoringEndToEnd, ScoredPackageGetsGroupPointsAndTheScoreContestRanksByThem) {
  start("score");
  ASSERT_EQ(import("scored", "?id=scored").status, 201);
  // Right only while the sum is below 100: passes g1_small (10) and g3_zero (1), not g2_large.
  const int64_t partial = submit(
      "t1", "scored", "a, b = map(int, input().split())\ns = a + b\nprint(s if s < 100 else 0)\n");
  const int64_t full = submit("t2", "scored", "a, b = map(int, input().split())\nprint(a + b)\n");
  ASSERT_TRUE(testenv::eventually([&] { return all_judged(2); }, kJudgeMs));

  auto judgements = json::parse(get("/judgements?submission_id=" + std::to_string(partial)).body);
  ASSERT_EQ(judgements.size(), 1u) << judgements;
  EXPECT_EQ(judgements[0]["judgement_type_id"], "WA");
  EXPECT_EQ(judgements[0]["score"], 11);
  // g2_large continues on reject: both of its tests ran, so all 6 tests have runs.
  EXPECT_EQ(
      json::parse(get("/runs?judgement_id=" + judgements[0]["id"].get<std::string>()).body).size(),
      6u);
  auto best = json::parse(get("/judgements?submission_id=" + std::to_string(full)).body);
  EXPECT_EQ(best[0]["judgement_type_id"], "AC");
  EXPECT_EQ(best[0]["score"], 41);

  auto board = json::parse(get("/scoreboard", false).body);
  ASSERT_EQ(board["rows"].size(), 2u) << board;
  EXPECT_EQ(board["rows"][0]["team_id"], "t2");
  EXPECT_EQ(board["rows"][0]["score"]["score"], 41);
  EXPECT_EQ(board["rows"][1]["team_id"], "t1");
  EXPECT_EQ(board["rows"][1]["rank"], 2);
  EXPECT_EQ(board["rows"][1]["score"]["score"], 11);
  EXPECT_EQ(board["rows"][1]["problems"][0]["score"], 11);
  EXPECT_FALSE(board["rows"][1]["problems"][0].contains("solved")) << "score, not solved";
  EXPECT_TRUE(board["rows"][1]["problems"][0].contains("time"));

  // A manual AC earns every group's points; overriding that AC to WA earns nothing.
  const std::string path = "/api/contests/" + cid + "/judgements/";
  auto put = [&](const std::string& id, const std::string& verdict) {
    auto r =
        testenv::http(port, "PUT", path + id, R"({"judgement_type_id":")" + verdict + "\"}",
                      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  };
  auto accepted = put(judgements[0]["id"].get<std::string>(), "AC");
  EXPECT_EQ(accepted["score"], 41);
  EXPECT_EQ(put(accepted["id"].get<std::string>(), "WA")["score"], 0);

  // The event feed carries the same judgement object, score included.
  std::istringstream feed(get("/event-feed?stream=false").body);
  bool seen = false;
  for (std::string line; std::getline(feed, line);) {
    auto event = json::parse(line, nullptr, false);
    if (event.is_discarded() || event["type"] != "judgements") continue;
    if (event["data"]["id"] == judgements[0]["id"] && event["data"].contains("score")) {
      EXPECT_EQ(event["data"]["score"], 11);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(ScoringEndToEnd, JurySubmissionsAreJudgedHiddenAndListedWithTheMisfiledOne) {
  start("pass-fail");
  auto r = import("jury", "?id=jury&jury_submissions=true");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["jury_submissions"], 7);
  ASSERT_TRUE(testenv::eventually([&] { return all_judged(7); }, kJudgeMs));

  auto list = json::parse(get("/problems/jury/jury-submissions").body);
  EXPECT_EQ(list["total"], 7);
  EXPECT_EQ(list["pending"], 0);
  EXPECT_EQ(list["mismatches"], 1) << list;
  for (const auto& js : list["submissions"]) {
    const bool misfiled = js["file"] == "submissions/accepted/misfiled.py";
    EXPECT_EQ(js["match"], !misfiled) << js;
    if (misfiled)
      EXPECT_EQ(js["actual"], "WA");
    else
      EXPECT_EQ(js["actual"], js["expected"]) << js;
  }

  // Invisible to the public: no scoreboard row, nothing in the anonymous feed.
  auto board = json::parse(get("/scoreboard", false).body);
  for (const auto& row : board["rows"]) EXPECT_NE(row["team_id"], "_jury");
  EXPECT_EQ(board["rows"].size(), 2u);
  EXPECT_EQ(get("/event-feed?stream=false", false).body.find("_jury"), std::string::npos);
  EXPECT_NE(get("/event-feed?stream=false").body.find("_jury"), std::string::npos)
      << "the jury's feed has them";
}

}  // namespace
