// End to end over HTTP on real parts: judge-api and two judge-worker processes against the real
// Postgres and Redis, judging in the real sandbox. Submits solutions with known verdicts and
// checks every verdict, that each submission was judged exactly once, and the bad-input answers.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/setup_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using json = nlohmann::json;
// The header every JSON body needs (judge-api answers 415 without it).
const std::pair<const std::string, std::string> kJson{"Content-Type", "application/json"};

namespace fs = std::filesystem;

constexpr int kRedisDb = 5;  // A db of its own: the workers pop every contest list they find.

const char* kSumC = "#include <stdio.h>\nint main(){long a,b;scanf(\"%ld %ld\",&a,&b);"
                    "printf(\"%ld\\n\",a+b);return 0;}\n";

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    seed();
    work = fs::temp_directory_path() / ("e2e-" + std::to_string(getpid()));
    fs::create_directories(work);
    port = testenv::free_port();
    std::string redis = testenv::redis_url() + "/" + std::to_string(kRedisDb);
    // Judging tests submit in bursts; the rate limit has its own tests (submissions_test.cc).
    std::vector<std::string> env = {"DATABASE_URL=" + db.url(), "REDIS_URL=" + redis,
                                    "JWT_SECRET=e2e-secret", "JUDGE_LOG_LEVEL=info",
                                    "JUDGE_SUBMIT_RATE_LIMIT=0"};
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        env);
    for (int i = 0; i < 2; ++i)
      workers.push_back(std::make_unique<testenv::Process>(
          std::vector<std::string>{JUDGE_WORKER_PATH, "--worker-id", "e2e-w" + std::to_string(i),
                                   "--work-root", (work / ("w" + std::to_string(i))).string(),
                                   "--box-helper", JUDGE_BOX_PATH, "--slots", "1",
                                   // What the tests submit: a shorter self-test at start.
                                   "--languages", "c,cpp,python3"},
          env));
    ASSERT_TRUE(testenv::wait_until_serving(port, 30000))
        << "judge-api did not come up";
  }
  void TearDown() override {
    for (auto& w : workers) EXPECT_EQ(w->stop(), 0) << "worker exits cleanly on SIGTERM";
    EXPECT_EQ(api->stop(), 0) << "api exits cleanly on SIGTERM";
    fs::remove_all(work);
  }

  void seed() {
    core::Store store(db.url());
    core::SetupStore setup(store);
    core::AccountStore accounts(store);
    setup.upsert_contest(
        {"e2e", "E2E", "E2E", core::now_ms() - 60000, 3600000, std::nullopt, 20, "pass-fail"});
    core::NewProblem p;
    p.problem.contest_id = "e2e";
    p.problem.id = "sum";
    p.problem.label = "A";
    p.problem.name = "Sum";
    p.problem.time_limit_ms = 1000;
    p.problem.memory_limit_kib = 65536;
    p.tests = {{"1 2\n", "3\n", true}, {"10 20\n", "30\n", false}};
    setup.replace_problem(p);
    setup.upsert_team({"t1", "Team 1", "Team 1"});
    setup.add_team_to_contest("e2e", "t1");
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("jury", core::hash_password("pw2"), core::Role::Jury, std::nullopt);
  }

  std::string login(const std::string& user, const std::string& password) {
    return testenv::login(port, user, password);
  }

  testenv::HttpResponse submit(const std::string& token, const json& body) {
    return testenv::http(port, "POST", "/api/contests/e2e/submissions", body.dump(),
                         {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }

  // Polls until the submission's judgement has a verdict; returns the judgement object.
  json await_judgement(const std::string& token, const std::string& submission_id) {
    json found;
    testenv::eventually(
        [&] {
          auto r = testenv::http(port, "GET",
                                 "/api/contests/e2e/judgements?submission_id=" + submission_id, "",
                                 {{"Authorization", "Bearer " + token}});
          if (r.status != 200) return false;
          for (const auto& j : json::parse(r.body))
            if (!j["judgement_type_id"].is_null()) found = j;
          return !found.is_null();
        },
        90000);
    return found;
  }

  void push_raw(const std::string& payload) {
    auto address = testenv::redis_address();
    redisContext* redis = redisConnect(address.host.c_str(), address.port);
    ASSERT_TRUE(redis && !redis->err);
    freeReplyObject(redisCommand(redis, "SELECT %d", kRedisDb));
    freeReplyObject(redisCommand(redis, "LPUSH contest:submissions:e2e %s", payload.c_str()));
    redisFree(redis);
  }

  testenv::FreshDatabase db;
  fs::path work;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
  std::vector<std::unique_ptr<testenv::Process>> workers;
};

TEST_F(EndToEnd, JudgesEverySubmissionOnceWithTheRightVerdict) {
  std::string token = login("team1", "pw1");
  ASSERT_FALSE(token.empty());
  struct Case {
    std::string language, source, expected;
  };
  std::vector<Case> cases = {
      {"c", kSumC, "AC"},
      {"cpp", "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n",
       "AC"},
      {"python3", "a, b = map(int, input().split())\nprint(a + b)\n", "AC"},
      {"c", "#include <stdio.h>\nint main(){puts(\"42\");return 0;}\n", "WA"},
      {"python3", "while True:\n    pass\n", "TLE"},
      {"cpp", "int main() { return nope; }\n", "CE"},
      {"python3", "raise SystemExit(3)\n", "RTE"},
      // Touches every page and prints a sum so the compiler cannot drop the allocation.
      {"c", "#include <stdio.h>\n#include <stdlib.h>\nint main(){long n=200L<<20,s=0;"
            "char*p=malloc(n);for(long i=0;i<n;i+=4096)p[i]=(char)i;for(long i=0;i<n;i+=4096)"
            "s+=p[i];printf(\"%ld\\n\",s);return 0;}\n", "MLE"},
  };
  // Garbage and items for submissions that do not exist are logged and dropped, not fatal.
  push_raw("not json at all");
  push_raw(core::encode_queue_item({987654, "e2e"}));
  std::vector<std::string> ids;
  for (const auto& c : cases) {
    auto r = submit(token, {{"problem_id", "sum"}, {"language_id", c.language}, {"source", c.source}});
    ASSERT_EQ(r.status, 202) << r.body;
    auto body = json::parse(r.body);
    ids.push_back(body["id"].get<std::string>());
    EXPECT_EQ(body["team_id"], "t1");
    EXPECT_FALSE(r.headers["location"].empty());
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    json judgement = await_judgement(token, ids[i]);
    ASSERT_FALSE(judgement.is_null()) << "no verdict for submission " << ids[i];
    EXPECT_EQ(judgement["judgement_type_id"], cases[i].expected)
        << cases[i].language << " submission " << ids[i];
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM judgements"), std::to_string(cases.size()))
      << "each submission judged exactly once";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions WHERE state <> 'judged' OR attempt <> 1"),
            "0");
}

TEST_F(EndToEnd, JuryOverrideGoesThroughTheSameRecordPath) {
  std::string team = login("team1", "pw1"), jury = login("jury", "pw2");
  auto r = submit(team, {{"problem_id", "sum"}, {"language_id", "c"}, {"source", kSumC}});
  ASSERT_EQ(r.status, 202) << r.body;
  std::string sid = json::parse(r.body)["id"];
  json judged = await_judgement(team, sid);
  ASSERT_EQ(judged["judgement_type_id"], "AC");
  std::string path = "/api/contests/e2e/judgements/" + judged["id"].get<std::string>();
  auto by_team = testenv::http(port, "PUT", path, R"({"judgement_type_id":"WA"})",
                               {{"Authorization", "Bearer " + team}, kJson});
  EXPECT_EQ(by_team.status, 403) << "a team cannot override";
  auto bad = testenv::http(port, "PUT", path, R"({"judgement_type_id":"XX"})",
                           {{"Authorization", "Bearer " + jury}, kJson});
  EXPECT_EQ(bad.status, 422) << bad.body;
  auto ok = testenv::http(port, "PUT", path, R"({"judgement_type_id":"WA"})",
                          {{"Authorization", "Bearer " + jury}, kJson});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(db.scalar("SELECT verdict FROM judgements WHERE is_current"), "WA");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM judgements"), "2");
  // The feed: the worker's judgement, the same one again as no longer current, the jury's.
  EXPECT_EQ(db.scalar("SELECT string_agg(data->>'current', ',' ORDER BY id) FROM events "
                      "WHERE type = 'judgements'"),
            "true,false,true");
}

TEST_F(EndToEnd, RejudgeGoesThroughTheRejudgeListAndReplacesTheVerdict) {
  std::string team = login("team1", "pw1"), jury = login("jury", "pw2");
  auto r = submit(team, {{"problem_id", "sum"}, {"language_id", "c"}, {"source", kSumC}});
  ASSERT_EQ(r.status, 202) << r.body;
  std::string sid = json::parse(r.body)["id"];
  ASSERT_EQ(await_judgement(team, sid)["judgement_type_id"], "AC");
  auto post = [&](const std::string& token, const std::string& body) {
    return testenv::http(port, "POST", "/api/contests/e2e/rejudgings", body,
                         {{"Authorization", "Bearer " + token}, kJson});
  };
  EXPECT_EQ(post(team, R"({"submission_ids":[")" + sid + R"("]})").status, 403);
  EXPECT_EQ(post(jury, R"({"submission_ids":["999999"]})").status, 422) << "nothing matches";
  EXPECT_EQ(post(jury, R"({"problem_id":"nope"})").status, 422);
  EXPECT_EQ(post(jury, R"({})").status, 400);
  auto ok = post(jury, R"({"submission_ids":[")" + sid + R"("]})");
  ASSERT_EQ(ok.status, 202) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["submission_ids"], json::array({sid}));
  ASSERT_TRUE(testenv::eventually(
      [&] { return db.scalar("SELECT count(*) FROM judgements WHERE submission_id = " + sid) == "2"; },
      30000))
      << "a worker judged it again from the rejudge list";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM judgements WHERE is_current AND submission_id = " + sid),
            "1");
  EXPECT_EQ(db.scalar("SELECT verdict FROM judgements WHERE is_current AND submission_id = " + sid),
            "AC");
  EXPECT_EQ(db.scalar("SELECT state FROM submissions WHERE id = " + sid), "judged");
}

TEST_F(EndToEnd, BadInputGetsAClearErrorAndStoresNothing) {
  std::string token = login("team1", "pw1");
  auto auth = std::map<std::string, std::string>{{"Authorization", "Bearer " + token}, kJson};
  auto post = [&](const std::string& path, const std::string& body) {
    return testenv::http(port, "POST", path, body, auth);
  };
  struct Bad {
    std::string path, body;
    int status;
  };
  std::string big(300 * 1024, 'x');
  std::vector<Bad> bad = {
      {"/api/contests/e2e/submissions", "{not json", 400},
      {"/api/contests/e2e/submissions", R"({"language_id":"c","source":"x"})", 400},
      {"/api/contests/e2e/submissions", R"({"problem_id":7,"language_id":"c","source":"x"})", 400},
      {"/api/contests/e2e/submissions", R"({"problem_id":"nope","language_id":"c","source":"x"})", 422},
      {"/api/contests/e2e/submissions", R"({"problem_id":"sum","language_id":"cobol","source":"x"})", 422},
      {"/api/contests/nope/submissions", R"({"problem_id":"sum","language_id":"c","source":"x"})", 404},
      {"/api/contests/e2e/submissions",
       json{{"problem_id", "sum"}, {"language_id", "c"}, {"source", big}}.dump(), 413},
  };
  for (const auto& b : bad) {
    auto r = post(b.path, b.body);
    EXPECT_EQ(r.status, b.status) << b.body.substr(0, 80) << " -> " << r.body;
    auto body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "error body is JSON: " << r.body;
    EXPECT_EQ(body["code"], b.status);
    EXPECT_TRUE(body["message"].is_string() && !body["message"].get<std::string>().empty());
  }
  auto no_token = testenv::http(port, "POST", "/api/contests/e2e/submissions",
                                R"({"problem_id":"sum","language_id":"c","source":"x"})", {kJson});
  EXPECT_EQ(no_token.status, 401);
  auto forged = testenv::http(port, "GET", "/api/contests/e2e/submissions", "",
                              {{"Authorization", "Bearer " + token + "x"}});
  EXPECT_EQ(forged.status, 401);
  auto expired = core::sign_token({"team1", core::Role::Team, "t1", core::now_ms() / 1000 - 10},
                                  "e2e-secret");
  EXPECT_EQ(testenv::http(port, "GET", "/api/contests/e2e/submissions", "",
                          {{"Authorization", "Bearer " + expired}})
                .status,
            401);
  auto wrong_password = testenv::http(port, "POST", "/api/auth/login",
                                      R"({"username":"team1","password":"nope"})", {kJson});
  EXPECT_EQ(wrong_password.status, 401);
  auto as_text = testenv::http(port, "POST", "/api/contests/e2e/submissions",
                               R"({"problem_id":"sum","language_id":"c","source":"x"})",
                               {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(as_text.status, 415) << "a body without Content-Type: application/json";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions"), "0") << "nothing stored";
  EXPECT_EQ(testenv::http(port, "GET", "/readyz").status, 200) << "still serving";
}

}  // namespace
