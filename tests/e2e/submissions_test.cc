// The submission side over HTTP, judge-api alone (no workers; verdicts are recorded through the
// one Store path): runs, zip uploads and the files endpoint, the per-team rate limit across two
// API processes and with Redis down, and the jury's start time and finalize changes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/judging_store.h"
#include "core/problem_data.h"
#include "core/setup_store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"
#include "zip_builder.h"

namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

constexpr int kRedisDb = 8;  // This test's own db: the rate-limit keys live here.
constexpr int kRateLimit = 3;
constexpr int kRateWindowSeconds = 60;
constexpr int kStartupMs = 30000;
constexpr int64_t kHour = 3'600'000;

const char* kSumPy = "a, b = map(int, input().split())\nprint(a + b)\n";

class SubmissionSide : public ::testing::Test {
 protected:
  void SetUp() override {
    // The rate-limit keys name the contest: an id of this process keeps runs apart on the db.
    cid = "c" + std::to_string(getpid());
    seed();
    port = start_api(testenv::redis_url() + "/" + std::to_string(kRedisDb));
    team1 = testenv::login(port, "team1", "pw1");
    team2 = testenv::login(port, "team2", "pw2");
    jury = testenv::login(port, "jury", "pw3");
  }
  void TearDown() override {
    for (auto& api : apis) EXPECT_EQ(api->stop(), 0) << "api exits cleanly on SIGTERM";
  }

  // Starts one more judge-api on the test database; returns its port.
  int start_api(const std::string& redis_url) {
    int api_port = testenv::free_port();
    apis.push_back(std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen",
                                 "127.0.0.1:" + std::to_string(api_port)},
        std::vector<std::string>{
            "DATABASE_URL=" + db.url(), "REDIS_URL=" + redis_url, "JWT_SECRET=subs-secret",
            "JUDGE_LOG_LEVEL=warn", "JUDGE_SUBMIT_RATE_LIMIT=" + std::to_string(kRateLimit),
            "JUDGE_SUBMIT_RATE_WINDOW=" + std::to_string(kRateWindowSeconds)}));
    EXPECT_TRUE(testenv::wait_until_serving(api_port, kStartupMs)) << "judge-api did not come up";
    return api_port;
  }

  void seed() {
    core::Store store(db.url());
    core::SetupStore setup(store);
    core::AccountStore accounts(store);
    add_contest(store, cid, core::now_ms() - 60'000, kHour, std::nullopt);
    for (const char* team : {"t1", "t2"}) {
      setup.upsert_team({team, team, team});
      setup.add_team_to_contest(cid, team);
    }
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("team2", core::hash_password("pw2"), core::Role::Team, "t2");
    accounts.upsert_user("jury", core::hash_password("pw3"), core::Role::Jury, std::nullopt);
  }

  // A contest with problem "sum" (two test cases).
  void add_contest(core::Store& store, const std::string& id, int64_t start_ms, int64_t duration_ms,
                   std::optional<int64_t> freeze_ms) {
    core::SetupStore setup(store);
    setup.upsert_contest({id, id, id, start_ms, duration_ms, freeze_ms, 20, "pass-fail"});
    core::NewProblem p;
    p.problem = {id, "sum", "A", "Sum"};
    p.tests = {{"1 2\n", "3\n", true}, {"2 2\n", "4\n", false}};
    setup.replace_problem(p);
  }

  testenv::HttpResponse send(const std::string& method, const std::string& token,
                             const std::string& path, const std::string& body = "",
                             int to_port = 0) {
    Headers headers = {{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return testenv::http(to_port ? to_port : port, method, path, body, headers);
  }
  std::string contest_path(const std::string& rest = "") { return "/api/contests/" + cid + rest; }

  testenv::HttpResponse submit(const std::string& token, const json& body, int to_port = 0) {
    return send("POST", token, contest_path("/submissions"), body.dump(), to_port);
  }
  json source_body(const std::string& source = kSumPy) {
    return {{"problem_id", "sum"}, {"language_id", "python3"}, {"source", source}};
  }
  json zip_body(const std::string& zip) {
    return {{"problem_id", "sum"},
            {"language_id", "python3"},
            {"files", {{{"data", testenv::base64_encode(zip)}, {"mime", "application/zip"}}}}};
  }
  // Submits and expects a 202; returns the submission id.
  std::string accepted(const std::string& token, const json& body) {
    auto r = submit(token, body);
    EXPECT_EQ(r.status, 202) << r.body;
    auto doc = json::parse(r.body, nullptr, false);
    return doc.is_object() && doc["id"].is_string() ? doc["id"].get<std::string>() : "0";
  }

  // Records a verdict with two runs (AC 12 ms, then `second` 34 ms) through the worker path.
  int64_t judge(const std::string& contest_id, const std::string& submission_id,
                const std::string& second) {
    core::Store store(db.url());
    core::JudgingStore judging(store);
    const int64_t sid = std::stoll(submission_id);
    auto attempt = judging.claim(sid, contest_id, "w1", 30);
    EXPECT_TRUE(attempt);
    auto tests = core::ProblemData(store).testcases(contest_id, "sum");
    core::Judgement j;
    j.submission_id = sid;
    j.verdict = domain::parse_verdict(second).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    j.max_run_time_ms = 34;
    j.runs = {{1, tests.at(0).id, domain::Verdict::AC, 12, 20, 1000},
              {2, tests.at(1).id, *j.verdict, 34, 50, 2000}};
    auto result =
        judging.record_judgement(j, {core::Fence::Kind::Worker, attempt ? attempt->attempt : 0});
    EXPECT_EQ(result.status, core::RecordStatus::Recorded);
    return result.judgement_id;
  }

  testenv::FreshDatabase db;
  std::string cid;
  int port = 0;
  std::vector<std::unique_ptr<testenv::Process>> apis;
  std::string team1, team2, jury;
};

json body_of(const testenv::HttpResponse& r) { return json::parse(r.body, nullptr, false); }

// Peak resident memory of a process so far (VmHWM), KiB.
int64_t peak_rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

TEST_F(SubmissionSide, RunsAreVisibleLikeJudgements) {
  const int64_t own = judge(cid, accepted(team1, source_body()), "WA");
  const int64_t other = judge(cid, accepted(team2, source_body()), "AC");

  auto all = send("GET", jury, contest_path("/runs"));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(body_of(all).size(), 4u) << "the jury sees every run";
  auto mine = body_of(send("GET", team1, contest_path("/runs")));
  ASSERT_EQ(mine.size(), 2u) << "a team sees its own runs only";
  EXPECT_EQ(mine[0]["judgement_id"], std::to_string(own));
  EXPECT_EQ(mine[0]["ordinal"], 1);
  EXPECT_EQ(mine[0]["judgement_type_id"], "AC");
  EXPECT_EQ(mine[1]["judgement_type_id"], "WA");
  EXPECT_DOUBLE_EQ(mine[1]["run_time"].get<double>(), 0.034);
  EXPECT_TRUE(mine[1]["time"].is_string() && mine[1]["contest_time"].is_string());

  auto filtered =
      body_of(send("GET", jury, contest_path("/runs?judgement_id=" + std::to_string(other))));
  ASSERT_EQ(filtered.size(), 2u);
  EXPECT_EQ(filtered[1]["judgement_type_id"], "AC");
  EXPECT_EQ(send("GET", jury, contest_path("/runs?judgement_id=x")).status, 400);
  EXPECT_EQ(body_of(send("GET", team1, contest_path("/runs?judgement_id=" + std::to_string(other))))
                .size(),
            0u)
      << "the filter cannot reach another team's runs";

  const std::string other_run = filtered[0]["id"];
  EXPECT_EQ(send("GET", jury, contest_path("/runs/" + other_run)).status, 200);
  EXPECT_EQ(send("GET", team2, contest_path("/runs/" + other_run)).status, 200);
  EXPECT_EQ(send("GET", team1, contest_path("/runs/" + other_run)).status, 404);
  EXPECT_EQ(send("GET", "", contest_path("/runs/" + other_run)).status, 401);
  EXPECT_EQ(send("GET", "", contest_path("/runs")).status, 401);
  EXPECT_EQ(send("GET", jury, contest_path("/runs/999999")).status, 404);

  // An override makes a new judgement with the same runs: teams see only the current ones.
  auto put = send("PUT", jury, contest_path("/judgements/" + std::to_string(own)),
                  R"({"judgement_type_id":"AC"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(body_of(send("GET", team1, contest_path("/runs"))).size(), 2u);
  EXPECT_EQ(body_of(send("GET", jury, contest_path("/runs"))).size(), 6u);
}

// Issue 16, item 7: a team sees only the current judgement of its submission and that
// judgement's runs, by every way in: the replaced judgement and its runs are 404s exactly like
// ids that never existed, and filters by them give nothing. The jury still reads the history.
TEST_F(SubmissionSide, AReplacedJudgementIsGoneForItsTeamByEveryWayIn) {
  const std::string sid = accepted(team1, source_body());
  const std::string old_id = std::to_string(judge(cid, sid, "WA"));
  auto old_runs = body_of(send("GET", jury, contest_path("/runs?judgement_id=" + old_id)));
  ASSERT_EQ(old_runs.size(), 2u);
  const std::string old_run = old_runs[0]["id"];
  ASSERT_EQ(send("GET", team1, contest_path("/judgements/" + old_id)).status, 200)
      << "the team reads its current judgement";
  auto put =
      send("PUT", jury, contest_path("/judgements/" + old_id), R"({"judgement_type_id":"AC"})");
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string new_id = body_of(put)["id"];

  // Replaced ids answer like ids that do not exist (same status, same kind of message).
  auto old_judgement = send("GET", team1, contest_path("/judgements/" + old_id));
  auto no_judgement = send("GET", team1, contest_path("/judgements/999999"));
  EXPECT_EQ(old_judgement.status, 404) << old_judgement.body;
  EXPECT_EQ(body_of(old_judgement)["message"], "unknown judgement '" + old_id + "'");
  EXPECT_EQ(no_judgement.status, 404);
  auto run = send("GET", team1, contest_path("/runs/" + old_run));
  EXPECT_EQ(run.status, 404) << run.body;
  EXPECT_EQ(body_of(run)["message"], "unknown run '" + old_run + "'");
  EXPECT_EQ(body_of(send("GET", team1, contest_path("/runs?judgement_id=" + old_id))),
            json::array())
      << "the filter cannot reach a replaced judgement's runs";
  auto listed = body_of(send("GET", team1, contest_path("/judgements?submission_id=" + sid)));
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["id"], new_id);

  // The current judgement and its runs stay readable for the team.
  EXPECT_EQ(send("GET", team1, contest_path("/judgements/" + new_id)).status, 200);
  auto current_runs = body_of(send("GET", team1, contest_path("/runs?judgement_id=" + new_id)));
  ASSERT_EQ(current_runs.size(), 2u);
  EXPECT_EQ(
      send("GET", team1, contest_path("/runs/" + current_runs[0]["id"].get<std::string>())).status,
      200);
  // The jury reads the whole history by id.
  auto by_jury = send("GET", jury, contest_path("/judgements/" + old_id));
  ASSERT_EQ(by_jury.status, 200);
  EXPECT_EQ(body_of(by_jury)["current"], false);
  EXPECT_EQ(send("GET", jury, contest_path("/runs/" + old_run)).status, 200);
}

TEST_F(SubmissionSide, ZipUploadKeepsTheFileAndServesItBack) {
  const std::string zip = testenv::make_zip({{"sol/", ""}, {"sol/sum.py", kSumPy}});
  auto r = submit(team1, zip_body(zip));
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string sid = body_of(r)["id"];
  EXPECT_EQ(body_of(r)["files"][0]["href"], "contests/" + cid + "/submissions/" + sid + "/files");
  EXPECT_EQ(db.scalar("SELECT filename FROM submissions WHERE id = " + sid), "sol/sum.py");
  EXPECT_EQ(db.scalar("SELECT convert_from(source, 'UTF8') FROM submissions WHERE id = " + sid),
            kSumPy);

  const std::string files = contest_path("/submissions/" + sid + "/files");
  auto own = send("GET", team1, files);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.headers["content-type"], "application/zip");
  auto entries = testenv::read_zip(own.body);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "sol/sum.py");
  EXPECT_EQ(entries[0].content, kSumPy);
  EXPECT_EQ(send("GET", jury, files).status, 200);
  auto other_team = send("GET", team2, files);
  EXPECT_EQ(other_team.status, 404) << "another team's files do not exist for it";
  EXPECT_EQ(body_of(other_team)["code"], 404);
  EXPECT_EQ(send("GET", "", files).status, 401);
  EXPECT_EQ(send("GET", jury, contest_path("/submissions/999999/files")).status, 404);

  // A submission sent as text is served under its language's file name.
  const std::string text_sid = accepted(team1, source_body());
  auto text = send("GET", team1, contest_path("/submissions/" + text_sid + "/files"));
  ASSERT_EQ(text.status, 200);
  auto text_entries = testenv::read_zip(text.body);
  ASSERT_EQ(text_entries.size(), 1u);
  EXPECT_EQ(text_entries[0].name, "main.py");
  EXPECT_EQ(text_entries[0].content, kSumPy);
}

TEST_F(SubmissionSide, BadZipsAreRefusedAndStoreNothing) {
  std::vector<testenv::ZipEntry> many;
  for (int i = 0; i < 100; ++i) many.push_back({"d" + std::to_string(i) + "/", ""});
  const std::string bomb = testenv::make_zip({{"a.py", std::string(size_t{32} << 20, '\n')}});
  struct Case {
    std::string what;
    json body;
    int status;
  };
  json bad_base64 = zip_body("x");
  bad_base64["files"][0]["data"] = "not base64!";
  json both = zip_body(testenv::make_zip({{"a.py", kSumPy}}));
  both["source"] = kSumPy;
  const std::vector<Case> cases = {
      {"bad base64", bad_base64, 400},
      {"not a zip", zip_body("PK but not a zip at all"), 400},
      {"source and files", both, 400},
      {"traversal", zip_body(testenv::make_zip({{"../../etc/cron.d/x", kSumPy}})), 422},
      {"absolute", zip_body(testenv::make_zip({{"/tmp/a.py", kSumPy}})), 422},
      // Several files are fine, but which one runs cannot be told here (no main.py).
      {"two files, no entry point",
       zip_body(testenv::make_zip({{"a.py", kSumPy}, {"b.py", kSumPy}})), 400},
      {"no file", zip_body(testenv::make_zip({{"d/", ""}})), 422},
      {"too many entries", zip_body(testenv::make_zip(many)), 422},
      {"encrypted", zip_body(testenv::mark_encrypted(testenv::make_zip({{"a.py", kSumPy}}))), 422},
      {"bomb", zip_body(bomb), 413},
      {"bomb behind a small header", zip_body(testenv::claim_uncompressed_size(bomb, 10)), 413},
  };
  for (const auto& c : cases) {
    auto r = submit(team1, c.body);
    EXPECT_EQ(r.status, c.status) << c.what << ": " << r.body;
    auto body = body_of(r);
    EXPECT_TRUE(body.is_object() && body["code"] == c.status && body["message"].is_string())
        << c.what << ": " << r.body;
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions"), "0");
  EXPECT_EQ(testenv::http(port, "GET", "/healthz").status, 200) << "the server stays up";
  EXPECT_EQ(submit(team1, zip_body(testenv::make_zip({{"a.py", kSumPy}}))).status, 202)
      << "refusals did not use up the rate limit";
}

TEST_F(SubmissionSide, ZipBombCostsBoundedMemory) {
  // 512 MiB of zeros deflate to about 0.5 MiB: the largest bomb a request may carry.
  constexpr uint64_t kBombBytes = uint64_t{512} << 20;
  constexpr int64_t kMaxGrowthKib = 64 * 1024;
  const std::string body = zip_body(testenv::make_zip_of_zeros("a.py", kBombBytes)).dump();
  const int64_t before = peak_rss_kib(apis[0]->pid());
  ASSERT_GT(before, 0);
  auto r = send("POST", team1, contest_path("/submissions"), body);
  EXPECT_EQ(r.status, 413) << r.body;
  const int64_t growth = peak_rss_kib(apis[0]->pid()) - before;
  EXPECT_LT(growth, kMaxGrowthKib) << "peak memory grew by " << growth << " KiB";
  std::cerr << "zip bomb of " << (kBombBytes >> 20) << " MiB in " << body.size()
            << " request bytes: peak RSS grew by " << growth << " KiB\n";
}

TEST_F(SubmissionSide, RateLimitHoldsAcrossApiProcessesWithRetryAfter) {
  const int second = start_api(testenv::redis_url() + "/" + std::to_string(kRedisDb));
  EXPECT_EQ(submit(team1, source_body()).status, 202);
  EXPECT_EQ(submit(team1, source_body(), second).status, 202);
  EXPECT_EQ(submit(team1, source_body()).status, 202);
  for (int to : {second, port}) {
    auto limited = submit(team1, source_body(), to);
    ASSERT_EQ(limited.status, 429) << limited.body;
    const int retry_after = std::stoi(limited.headers.at("retry-after"));
    EXPECT_GE(retry_after, 1);
    EXPECT_LE(retry_after, kRateWindowSeconds);
    EXPECT_EQ(body_of(limited)["code"], 429);
    EXPECT_NE(body_of(limited)["message"].get<std::string>().find("retry in"), std::string::npos);
  }
  EXPECT_EQ(submit(team2, source_body()).status, 202) << "the limit is per team";
  auto by_jury = source_body();
  by_jury["team_id"] = "t1";
  for (int i = 0; i < kRateLimit + 1; ++i) {
    EXPECT_EQ(submit(jury, by_jury).status, 202) << "the jury is not limited";
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions WHERE team_id = 't1'"),
            std::to_string(kRateLimit + kRateLimit + 1));
}

TEST_F(SubmissionSide, RedisDownLetsSubmissionsThroughUnlimited) {
  // Nothing listens on a fresh free port: every Redis call fails at once.
  const int no_redis = start_api("redis://127.0.0.1:" + std::to_string(testenv::free_port()));
  for (int i = 0; i < kRateLimit + 1; ++i) {
    auto r = submit(team1, source_body(), no_redis);
    EXPECT_EQ(r.status, 202) << "fail open: " << r.body;
  }
  auto metrics = testenv::http(no_redis, "GET", "/metrics");
  EXPECT_NE(
      metrics.body.find("judge_api_rate_limit_unavailable_total " + std::to_string(kRateLimit + 1)),
      std::string::npos)
      << metrics.body;
}

TEST_F(SubmissionSide, JuryChangesTheSettingsUntilResultsAreFinal) {
  const std::string path = contest_path();
  auto longer = send("PATCH", jury, path,
                     R"({"duration":"6:00:00.000","scoreboard_freeze_duration":"1:00:00.000",)"
                     R"("penalty_time":10,"name":"Renamed"})");
  ASSERT_EQ(longer.status, 200) << longer.body;
  EXPECT_EQ(body_of(longer)["duration"], "6:00:00.000");
  EXPECT_EQ(body_of(longer)["scoreboard_freeze_duration"], "1:00:00.000");
  EXPECT_EQ(body_of(longer)["penalty_time"], 10);
  EXPECT_EQ(body_of(longer)["name"], "Renamed");
  EXPECT_EQ(body_of(send("GET", "", path))["duration"], "6:00:00.000") << "stored";
  EXPECT_EQ(db.scalar("SELECT data->>'duration' FROM events WHERE type = 'contest' "
                      "ORDER BY id DESC LIMIT 1"),
            "6:00:00.000")
      << "the feed got the change";
  const std::string before = body_of(send("GET", "", path)).dump();
  EXPECT_EQ(send("PATCH", jury, path, R"({"scoreboard_freeze_duration":"7:00:00.000"})").status,
            422)
      << "a freeze longer than the contest";
  EXPECT_EQ(send("PATCH", jury, path, R"({"duration":"0:00:00.000"})").status, 422);
  EXPECT_EQ(send("PATCH", jury, path, R"({"scoreboard_type":"score"})").status, 409)
      << "not once the contest started";
  EXPECT_EQ(send("PATCH", team1, path, R"({"penalty_time":0})").status, 403);
  EXPECT_EQ(body_of(send("GET", "", path)).dump(), before) << "refusals changed nothing";
}

TEST_F(SubmissionSide, JuryMovesTheStartOnlyBeforeItHappens) {
  core::Store store(db.url());
  add_contest(store, "later", core::now_ms() + kHour, kHour, std::nullopt);
  const std::string path = "/api/contests/later";
  const std::string new_start = core::format_time(core::now_ms() + 2 * kHour);
  auto moved = send("PATCH", jury, path, json{{"id", "later"}, {"start_time", new_start}}.dump());
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(body_of(moved)["start_time"], new_start);
  auto paused = send("PATCH", jury, path, R"({"start_time":null})");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_TRUE(body_of(paused)["start_time"].is_null());
  EXPECT_TRUE(body_of(send("GET", jury, path + "/state"))["started"].is_null());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE contest_id = 'later' AND "
                      "type = 'contest'"),
            "3")
      << "creation and each change wrote its event";
  const std::string events_before = db.scalar("SELECT count(*) FROM events WHERE type = 'contest'");

  const std::string past = core::format_time(core::now_ms() - 1000);
  EXPECT_EQ(send("PATCH", jury, path, json{{"start_time", past}}.dump()).status, 422);
  EXPECT_EQ(send("PATCH", team1, path, json{{"start_time", new_start}}.dump()).status, 403);
  EXPECT_EQ(send("PATCH", "", path, json{{"start_time", new_start}}.dump()).status, 401);
  auto started = send("PATCH", jury, contest_path(), json{{"start_time", new_start}}.dump());
  EXPECT_EQ(started.status, 409) << started.body;
  EXPECT_EQ(send("PATCH", jury, contest_path(), R"({"start_time":null})").status, 409);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE type = 'contest'"), events_before)
      << "refusals wrote nothing";
}

TEST_F(SubmissionSide, FinalizeOnlyOnceTheContestEndedAndAllIsJudged) {
  EXPECT_EQ(send("PATCH", jury, contest_path(), R"({"finalized":true})").status, 409)
      << "a running contest cannot be finalized";
  core::Store store(db.url());
  add_contest(store, "over", core::now_ms() - 2 * kHour, kHour, std::nullopt);
  core::SetupStore(store).add_team_to_contest("over", "t1");
  auto pending =
      core::SubmissionStore(store).create_submission({"over", "t1", "sum", "python3", kSumPy});
  const std::string path = "/api/contests/over";
  auto refused = send("PATCH", jury, path, R"({"finalized":true})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(body_of(refused)["message"].get<std::string>().find("not judged"), std::string::npos);
  EXPECT_EQ(send("PATCH", jury, path, R"({"finalized":false})").status, 422);

  judge("over", std::to_string(pending.id), "AC");
  ASSERT_EQ(send("PATCH", jury, path, R"({"finalized":true})").status, 200);
  auto state = body_of(send("GET", "", path + "/state"));
  ASSERT_TRUE(state["finalized"].is_string()) << state;
  EXPECT_EQ(state["end_of_updates"], state["finalized"]) << "no freeze: nothing left to change";
  ASSERT_EQ(send("PATCH", jury, path, R"({"id":"over","finalized":true})").status, 200);
  EXPECT_EQ(body_of(send("GET", "", path + "/state"))["finalized"], state["finalized"])
      << "finalizing again changes nothing";
  // The state at creation (started, ended), then once with finalized; not again.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE contest_id = 'over' AND type = 'state'"),
            "2");
  EXPECT_NE(db.scalar("SELECT data->>'finalized' FROM events WHERE contest_id = 'over' AND "
                      "type = 'state' ORDER BY id DESC LIMIT 1"),
            "");

  // With a freeze, updates end only once the board is thawed too.
  add_contest(store, "frozen", core::now_ms() - 2 * kHour, kHour, 30 * 60'000);
  ASSERT_EQ(send("PATCH", jury, "/api/contests/frozen", R"({"finalized":true})").status, 200);
  auto frozen = body_of(send("GET", "", "/api/contests/frozen/state"));
  EXPECT_TRUE(frozen["finalized"].is_string());
  EXPECT_TRUE(frozen["end_of_updates"].is_null()) << frozen;
  auto thaw = send("PATCH", jury, "/api/contests/frozen",
                   json{{"scoreboard_thaw_time", core::format_time(core::now_ms())}}.dump());
  ASSERT_EQ(thaw.status, 200) << thaw.body;
  EXPECT_TRUE(body_of(send("GET", "", "/api/contests/frozen/state"))["end_of_updates"].is_string());
}

}  // namespace

// Concurrent POSTs share transactions (group commit): each 202 is its own stored submission,
// each with exactly one submissions event, in the contest's feed.
TEST_F(SubmissionSide, ConcurrentSubmissionsAreEachStoredOnceWithTheirEvent) {
  constexpr int kSubmissions = 24;
  std::vector<std::string> ids(kSubmissions);
  std::vector<std::thread> threads;
  for (int i = 0; i < kSubmissions; ++i) {
    threads.emplace_back([&, i] {
      json body = source_body("print(" + std::to_string(i) + ")");
      body["team_id"] = i % 2 ? "t1" : "t2";
      auto r = submit(jury, body);  // The jury is not rate limited.
      if (r.status == 202) ids[i] = body_of(r)["id"].get<std::string>();
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.count(""), 0u) << "every POST answered 202";
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kSubmissions));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions WHERE contest_id = '" + cid + "'"),
            std::to_string(kSubmissions));
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT object_id) || '/' || count(*) FROM events WHERE "
                      "contest_id = '" +
                      cid + "' AND type = 'submissions'"),
            std::to_string(kSubmissions) + "/" + std::to_string(kSubmissions));
  for (int i = 0; i < kSubmissions; ++i) {
    if (ids[i].empty()) continue;
    EXPECT_EQ(
        db.scalar("SELECT convert_from(source, 'UTF8') FROM submissions WHERE id = " + ids[i]),
        "print(" + std::to_string(i) + ")")
        << "each caller got its own submission's id";
  }
}
