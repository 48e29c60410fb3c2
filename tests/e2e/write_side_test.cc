// End to end over HTTP for the write side: judge-api alone (no workers) on a fresh database.
// An admin sets a contest up entirely through the API, a team logs in and submits; the refusals
// (401/403/409/422) are checked together with the fact that they stored nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

// A copy of `base` with one field replaced.
json with(json base, const std::string& key, const json& value) {
  base[key] = value;
  return base;
}

// Not db 5: the worker e2e test's workers pop every contest list of theirs. Nothing pops here.
constexpr int kRedisDb = 6;
constexpr int kStartupMs = 30000;

class WriteSide : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Store seed(db.url());
    core::AccountStore(seed).upsert_user("admin", core::hash_password("adminpw"), core::Role::Admin,
                                         std::nullopt);
    port = testenv::free_port();
    std::vector<std::string> env = {
        "DATABASE_URL=" + db.url(),
        "REDIS_URL=" + testenv::redis_url() + "/" + std::to_string(kRedisDb),
        "JWT_SECRET=write-secret", "JUDGE_LOG_LEVEL=info"};
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        env);
    ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs))
        << "judge-api did not come up";
    admin = login("admin", "adminpw");
  }
  void TearDown() override { EXPECT_EQ(api->stop(), 0) << "api exits cleanly on SIGTERM"; }

  std::string login(const std::string& user, const std::string& password) {
    return testenv::login(port, user, password);
  }

  testenv::HttpResponse send(const std::string& method, const std::string& token,
                             const std::string& path, const std::string& body = "") {
    Headers headers = {{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return testenv::http(port, method, path, body, headers);
  }
  testenv::HttpResponse post(const std::string& token, const std::string& path, const json& body) {
    return send("POST", token, path, body.dump());
  }

  // POST that must create: 201 with a JSON body; returns the body.
  json create(const std::string& token, const std::string& path, const json& body) {
    auto r = post(token, path, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.body;
    if (path != "/api/users") {
      EXPECT_FALSE(r.headers["location"].empty()) << path;
    }
    return json::parse(r.body, nullptr, false);
  }

  // Sets up contest "wc" (running) with organization, group, team, problem and users.
  void setup_contest() {
    create(admin, "/api/users", {{"username", "judge1"}, {"password", "jpw"}, {"role", "jury"}});
    jury = login("judge1", "jpw");
    auto contest = create(jury, "/api/contests",
                          {{"id", "wc"},
                           {"name", "Write Contest"},
                           {"start_time", core::format_time(core::now_ms() - 60000)},
                           {"duration", "5:00:00.000"},
                           {"penalty_time", 20}});
    EXPECT_EQ(contest["id"], "wc");
    EXPECT_EQ(contest["penalty_time"], 20);
    create(jury, "/api/contests/wc/organizations",
           {{"id", "uva"}, {"name", "UvA"}, {"country", "NLD"}});
    create(jury, "/api/contests/wc/groups", {{"id", "students"}, {"name", "Students"}});
    auto team = create(jury, "/api/contests/wc/teams",
                       {{"id", "t1"},
                        {"name", "Team One"},
                        {"organization_id", "uva"},
                        {"group_ids", json::array({"students"})}});
    EXPECT_EQ(team["group_ids"], json::array({"students"}));
    auto problem = create(
        jury, "/api/contests/wc/problems",
        {{"id", "sum"},
         {"label", "A"},
         {"name", "Sum"},
         {"time_limit", 1},
         {"validator_flags", "float_tolerance 1e-6"},
         {"test_cases", json::array({{{"input", "1 2\n"}, {"answer", "3\n"}, {"sample", true}},
                                     {{"input", "2 2\n"}, {"answer", "4\n"}}})}});
    EXPECT_EQ(problem["test_data_count"], 2);
    create(admin, "/api/users",
           {{"username", "team1"}, {"password", "tpw"}, {"role", "team"}, {"team_id", "t1"}});
  }

  testenv::FreshDatabase db;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
  std::string admin, jury;
};

TEST_F(WriteSide, AdminSetsUpAContestAndATeamSubmits) {
  setup_contest();
  std::string team = login("team1", "tpw");
  ASSERT_FALSE(team.empty());
  auto submitted = post(team, "/api/contests/wc/submissions",
                        {{"problem_id", "sum"},
                         {"language_id", "python3"},
                         {"source", "print(sum(map(int, input().split())))\n"}});
  EXPECT_EQ(submitted.status, 202) << submitted.body;
  EXPECT_EQ(db.scalar("SELECT count(*) FROM testcases WHERE problem_id = 'sum'"), "2");
  EXPECT_EQ(db.scalar("SELECT validator_flags FROM problems WHERE id = 'sum'"),
            "float_tolerance 1e-6");

  auto read = json::parse(send("GET", team, "/api/contests/wc/teams/t1").body);
  EXPECT_EQ(read["organization_id"], "uva");
  EXPECT_EQ(read["group_ids"], json::array({"students"}));
  EXPECT_EQ(json::parse(send("GET", "", "/api/contests/wc/organizations/uva").body)["country"],
            "NLD");
  EXPECT_EQ(json::parse(send("GET", "", "/api/contests/wc/groups").body).size(), 1u);
  auto own = send("GET", team, "/api/contests/wc/account");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(json::parse(own.body)["team_id"], "t1");
  EXPECT_EQ(own.body.find("argon2"), std::string::npos) << "no password hash in accounts";
  auto accounts = send("GET", admin, "/api/contests/wc/accounts");
  ASSERT_EQ(accounts.status, 200);
  EXPECT_EQ(json::parse(accounts.body).size(), 3u);
  EXPECT_EQ(accounts.body.find("argon2"), std::string::npos);
  EXPECT_EQ(json::parse(send("GET", admin, "/api/contests/wc/accounts/judge1").body)["type"],
            "judge");
  auto access = json::parse(send("GET", team, "/api/contests/wc/access").body);
  EXPECT_EQ(access["capabilities"], json::array({"team_submit", "team_clar"}));
}

TEST_F(WriteSide, RefusalsStoreNothing) {
  setup_contest();
  std::string team = login("team1", "tpw");
  const std::string counts =
      "SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM contests) || '/' || "
      "(SELECT count(*) FROM teams) || '/' || (SELECT count(*) FROM problems) || '/' || "
      "(SELECT count(*) FROM testcases) || '/' || (SELECT count(*) FROM organizations) || '/' || "
      "(SELECT count(*) FROM groups) || '/' || (SELECT count(*) FROM team_groups)";
  const std::string before = db.scalar(counts);
  const json contest = {{"name", "X"}, {"start_time", nullptr}, {"duration", "1:00:00"}};
  const json problem = {{"id", "p2"},
                        {"label", "B"},
                        {"name", "P"},
                        {"time_limit", 1},
                        {"test_cases", json::array({json{{"input", "1"}, {"answer", "1"}}})}};
  struct Case {
    std::string who, path;
    json body;
    int status;
  };
  std::vector<Case> cases = {
      {"", "/api/contests", contest, 401},
      {"team", "/api/contests", contest, 403},
      {"jury", "/api/users", {{"username", "x"}, {"password", "p"}, {"role", "jury"}}, 403},
      {"", "/api/users", {{"username", "x"}, {"password", "p"}, {"role", "jury"}}, 401},
      {"admin", "/api/users", {{"username", "judge1"}, {"password", "p"}, {"role", "jury"}}, 409},
      {"admin",
       "/api/users",
       {{"username", "x"}, {"password", "p"}, {"role", "team"}, {"team_id", "nope"}},
       422},
      {"admin", "/api/users", {{"username", "x"}, {"password", "p"}, {"role", "god"}}, 422},
      {"jury",
       "/api/contests",
       {{"id", "wc"}, {"name", "X"}, {"start_time", nullptr}, {"duration", "1:00:00"}},
       409},
      {"jury", "/api/contests", {{"name", "X"}, {"start_time", nullptr}}, 400},
      {"team", "/api/contests/wc/teams", {{"name", "T"}}, 403},
      {"jury", "/api/contests/nope/teams", {{"name", "T"}}, 404},
      {"jury", "/api/contests/wc/teams", {{"id", "t1"}, {"name", "T"}}, 409},
      {"jury", "/api/contests/wc/teams", {{"name", "T"}, {"organization_id", "nope"}}, 422},
      {"jury",
       "/api/contests/wc/teams",
       {{"name", "T"}, {"group_ids", json::array({"students", "nope"})}},
       422},
      {"jury", "/api/contests/wc/organizations", {{"id", "uva"}, {"name", "U"}}, 409},
      {"jury", "/api/contests/wc/groups", {{"id", "students"}, {"name", "S"}}, 409},
      {"team", "/api/contests/wc/problems", problem, 403},
      {"jury", "/api/contests/wc/problems", with(problem, "id", "sum"), 409},
      {"jury", "/api/contests/wc/problems", with(problem, "time_limit", 0), 422},
      {"jury", "/api/contests/wc/problems", with(problem, "validator_flags", "case_insensitive"),
       422},
      {"jury", "/api/contests/wc/problems", with(problem, "test_cases", json::array()), 422},
  };
  const std::map<std::string, std::string> tokens = {
      {"", ""}, {"team", team}, {"jury", jury}, {"admin", admin}};
  for (const auto& c : cases) {
    auto r = post(tokens.at(c.who), c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.who << " " << c.path << " " << c.body.dump() << " -> "
                                  << r.body;
    auto body = json::parse(r.body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body["code"] == c.status) << r.body;
  }
  EXPECT_EQ(db.scalar(counts), before) << "refused requests stored nothing";
  EXPECT_EQ(send("GET", "", "/api/contests/wc/account").status, 401);
  EXPECT_EQ(send("GET", jury, "/api/contests/wc/accounts").status, 403);
  EXPECT_EQ(send("GET", team, "/api/contests/wc/accounts/team1").status, 403);
  EXPECT_EQ(send("GET", admin, "/api/contests/nope/accounts").status, 404);
}

TEST_F(WriteSide, GeneratesIdsWhenAbsent) {
  auto contest = create(admin, "/api/contests",
                        {{"name", "Gen"}, {"start_time", nullptr}, {"duration", "1:00:00"}});
  ASSERT_TRUE(contest["id"].is_string());
  std::string cid = contest["id"];
  EXPECT_EQ(send("GET", "", "/api/contests/" + cid).status, 200);
  auto team = create(admin, "/api/contests/" + cid + "/teams", {{"name", "Anon"}});
  ASSERT_TRUE(team["id"].is_string());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM contest_teams WHERE contest_id = '" + cid + "'"), "1");
}

}  // namespace
