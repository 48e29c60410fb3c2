// Clarifications over HTTP, judge-api alone: a team asks (general or about a problem), the jury
// answers one team or all, or announces; who sees what in GET and in the event feed; every bad
// request a 4xx naming what is wrong with nothing stored; the per-team rate limit; finalizing
// refused while a question waits for its answer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/setup_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

constexpr int kRedisDb = 17;  // This test's own db: the rate-limit keys live here.
constexpr int kClarRateLimit = 4;
constexpr int kStartupMs = 30000;
constexpr int64_t kHour = 3'600'000;

json body_of(const testenv::HttpResponse& r) { return json::parse(r.body, nullptr, false); }

class Clarifications : public ::testing::Test {
 protected:
  void SetUp() override {
    // The rate-limit keys name the contest: an id of this process keeps runs apart on the db.
    cid = "clar" + std::to_string(getpid());
    seed();
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{
            "DATABASE_URL=" + db.url(),
            "REDIS_URL=" + testenv::redis_url() + "/" + std::to_string(kRedisDb),
            "JWT_SECRET=clar-secret", "JUDGE_LOG_LEVEL=warn",
            "JUDGE_CLAR_RATE_LIMIT=" + std::to_string(kClarRateLimit)});
    ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs)) << "judge-api did not come up";
    team1 = testenv::login(port, "team1", "pw1");
    team2 = testenv::login(port, "team2", "pw2");
    jury = testenv::login(port, "jury", "pw3");
  }
  void TearDown() override { EXPECT_EQ(api->stop(), 0) << "api exits cleanly on SIGTERM"; }

  void seed() {
    core::Store store(db.url());
    core::SetupStore setup(store);
    core::AccountStore accounts(store);
    schedule(core::now_ms() - 60'000);
    core::NewProblem p;
    p.problem = {cid, "sum", "A", "Sum"};
    p.tests = {{"1 2\n", "3\n", true}};
    setup.replace_problem(p);
    for (const char* team : {"t1", "t2", "t3"}) setup.upsert_team({team, team, team});
    for (const char* team : {"t1", "t2"}) setup.add_team_to_contest(cid, team);  // Not t3.
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("team2", core::hash_password("pw2"), core::Role::Team, "t2");
    accounts.upsert_user("jury", core::hash_password("pw3"), core::Role::Jury, std::nullopt);
  }
  // Moves the contest (5 h long) to start at start_ms.
  void schedule(int64_t start_ms) {
    core::Store store(db.url());
    core::SetupStore(store).upsert_contest(
        {cid, cid, cid, start_ms, 5 * kHour, std::nullopt, 20, "pass-fail"});
  }

  testenv::HttpResponse send(const std::string& method, const std::string& token,
                             const std::string& path, const std::string& body = "") {
    Headers headers = {{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return testenv::http(port, method, path, body, headers);
  }
  std::string clars_path(const std::string& rest = "") {
    return "/api/contests/" + cid + "/clarifications" + rest;
  }
  // POSTs and expects a 201 with the object and its Location; returns the object.
  json posted(const std::string& token, const json& body) {
    auto r = send("POST", token, clars_path(), body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    json doc = body_of(r);
    if (!doc.is_object() || !doc["id"].is_string()) return json::object({{"id", "?"}});
    EXPECT_EQ(r.headers["location"], clars_path("/" + doc["id"].get<std::string>()));
    return doc;
  }
  static std::string now_time() { return core::format_time(core::now_ms()); }
  std::vector<std::string> texts(const std::string& token, const std::string& query = "") {
    auto r = send("GET", token, clars_path(query));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    for (const auto& c : body_of(r)) out.push_back(c["text"].get<std::string>());
    return out;
  }
  int64_t stored() { return std::stoll(db.scalar("SELECT count(*) FROM clarifications")); }
  // The texts of the clarifications events of a caller's feed (?stream=false).
  std::vector<std::string> feed_texts(const std::string& token) {
    auto r = send("GET", token, "/api/contests/" + cid + "/event-feed?stream=false");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    size_t begin = 0;
    for (size_t end; (end = r.body.find('\n', begin)) != std::string::npos; begin = end + 1) {
      auto event = json::parse(r.body.substr(begin, end - begin), nullptr, false);
      if (event.is_object() && event["type"] == "clarifications")
        out.push_back(event["data"]["text"].get<std::string>());
    }
    return out;
  }

  testenv::FreshDatabase db;
  std::string cid;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
  std::string team1, team2, jury;
};

TEST_F(Clarifications, TeamAsksAndTheJuryAnswersOneTeamOrAll) {
  auto general = posted(team1, {{"text", "May I ask a question?"}});
  EXPECT_EQ(general["from_team_id"], "t1");
  EXPECT_TRUE(general["to_team_id"].is_null());
  EXPECT_TRUE(general["problem_id"].is_null());
  EXPECT_TRUE(general["reply_to_id"].is_null());
  EXPECT_TRUE(general["time"].is_string());
  EXPECT_EQ(general["contest_time"].get<std::string>().rfind("0:01:", 0), 0u)
      << "the contest started a minute ago: " << general["contest_time"];
  auto about = posted(
      team1, {{"text", "Can a and b be negative?"}, {"problem_id", "sum"}, {"from_team_id", "t1"}});
  EXPECT_EQ(about["problem_id"], "sum");
  posted(team2, {{"text", "Team 2's secret question"}});

  auto answer = posted(jury, {{"text", "Yes you may!"},
                              {"reply_to_id", general["id"]},
                              {"to_team_id", "t1"},
                              {"time", now_time()}});
  EXPECT_EQ(answer["to_team_id"], "t1");
  EXPECT_TRUE(answer["from_team_id"].is_null());
  posted(jury, {{"text", "They can."},
                {"reply_to_id", about["id"]},
                {"problem_id", "sum"},
                {"time", now_time()}});
  posted(jury, {{"text", "Printing is down"}, {"time", now_time()}});

  const std::vector<std::string> all = {"May I ask a question?",
                                        "Can a and b be negative?",
                                        "Team 2's secret question",
                                        "Yes you may!",
                                        "They can.",
                                        "Printing is down"};
  EXPECT_EQ(texts(jury), all);
  EXPECT_EQ(texts(team1),
            (std::vector<std::string>{"May I ask a question?", "Can a and b be negative?",
                                      "Yes you may!", "They can.", "Printing is down"}));
  EXPECT_EQ(texts(team2),
            (std::vector<std::string>{"Team 2's secret question", "They can.", "Printing is down"}))
      << "never another team's question nor a private answer";
  EXPECT_EQ(texts(""), (std::vector<std::string>{"They can.", "Printing is down"}));

  // By id: what a caller may not see is a 404 like an id that never existed.
  EXPECT_EQ(send("GET", team1, clars_path("/" + answer["id"].get<std::string>())).status, 200);
  EXPECT_EQ(send("GET", team2, clars_path("/" + answer["id"].get<std::string>())).status, 404);
  EXPECT_EQ(send("GET", team2, clars_path("/" + general["id"].get<std::string>())).status, 404);
  EXPECT_EQ(send("GET", "", clars_path("/" + general["id"].get<std::string>())).status, 404);
  auto one = send("GET", jury, clars_path("/" + general["id"].get<std::string>()));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(body_of(one), general);
  EXPECT_EQ(send("GET", jury, clars_path("/999999")).status, 404);

  // CLICS filtering on ID properties; an empty value is null.
  EXPECT_EQ(texts(jury, "?problem_id=sum"),
            (std::vector<std::string>{"Can a and b be negative?", "They can."}));
  EXPECT_EQ(texts(jury, "?to_team_id=t1"), (std::vector<std::string>{"Yes you may!"}));
  EXPECT_EQ(texts(team1, "?from_team_id=").size(), 3u);

  // The event feed carries the same, per caller.
  EXPECT_EQ(feed_texts(jury), all);
  EXPECT_EQ(feed_texts(team1), texts(team1));
  EXPECT_EQ(feed_texts(team2), texts(team2));
  EXPECT_EQ(feed_texts(""), texts(""));
}

TEST_F(Clarifications, JuryAsksForATeamAndPutsItsOwnIds) {
  auto proxied = posted(jury, {{"text", "Asked at the help desk"}, {"from_team_id", "t2"}});
  EXPECT_EQ(proxied["from_team_id"], "t2");
  EXPECT_EQ(texts(team2), std::vector<std::string>{"Asked at the help desk"});

  const std::string time = now_time();
  auto put = send("PUT", jury, clars_path("/wf-1"),
                  json{{"id", "wf-1"}, {"text", "Do not touch anything"}, {"time", time}}.dump());
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(body_of(put)["id"], "wf-1");
  EXPECT_EQ(body_of(put)["time"], time);
  EXPECT_EQ(put.headers["location"], clars_path("/wf-1"));
  auto again =
      send("PUT", jury, clars_path("/wf-1"), json{{"text", "again"}, {"time", time}}.dump());
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(body_of(again)["message"].get<std::string>().rfind("id:", 0), 0u);
  // A decimal id of the admin's own: the server's next ids come after it.
  ASSERT_EQ(
      send("PUT", jury, clars_path("/5000"), json{{"text", "numbered"}, {"time", time}}.dump())
          .status,
      201);
  auto next = posted(team1, {{"text", "after the numbered one"}});
  EXPECT_GT(std::stoll(next["id"].get<std::string>()), 5000);
  EXPECT_EQ(send("PUT", team1, clars_path("/mine"), json{{"text", "x"}}.dump()).status, 403);
  EXPECT_EQ(stored(), 4);
}

TEST_F(Clarifications, EveryBadRequestIsA4xxNamingWhatIsWrongAndStoresNothing) {
  auto question = posted(team1, {{"text", "q"}});
  const std::string qid = question["id"];
  const std::string time = now_time();
  struct Case {
    std::string token_of;  // team1, team2, jury, anonymous
    std::string method, path, body;
    int status;
    std::string names;  // The message starts with this.
  };
  const std::string longest(4096, 'x');
  const std::vector<Case> cases = {
      {"team1", "POST", "", R"({"text": )", 400, "malformed JSON"},
      {"team1", "POST", "", R"(["text"])", 400, "the body must be a JSON object"},
      {"team1", "POST", "", R"({})", 400, "text"},
      {"team1", "POST", "", R"({"text": 42})", 400, "text"},
      {"team1", "POST", "", R"({"text": "q", "problem_id": 5})", 400, "problem_id"},
      {"team1", "POST", "", R"({"text": "q", "colour": "red"})", 400, "colour"},
      {"team1", "POST", "", R"({"text": ""})", 422, "text"},
      {"team1", "POST", "", json{{"text", longest + "x"}}.dump(), 422, "text"},
      {"team1", "POST", "", R"({"text": "q", "problem_id": "nope"})", 422, "problem_id"},
      {"team1", "POST", "", R"({"text": "q", "reply_to_id": "424242"})", 422, "reply_to_id"},
      {"team2", "POST", "", json{{"text", "q"}, {"reply_to_id", qid}}.dump(), 422, "reply_to_id"},
      {"team1", "POST", "", R"({"text": "q", "from_team_id": "t2"})", 403, "from_team_id"},
      {"team1", "POST", "", R"({"text": "q", "to_team_id": "t2"})", 400, "to_team_id"},
      {"team1", "POST", "", R"({"text": "q", "id": "x"})", 400, "id"},
      {"team1", "POST", "", json{{"text", "q"}, {"time", time}}.dump(), 400, "time"},
      {"team1", "POST", "", R"({"text": "q", "contest_time": "0:00:01.000"})", 400, "contest_time"},
      {"jury", "POST", "", R"({"text": "announcement without time"})", 400, "time"},
      {"jury", "POST", "", json{{"text", "a"}, {"time", "noon"}}.dump(), 400, "time"},
      {"jury", "POST", "", json{{"text", "a"}, {"time", time}, {"to_team_id", "t9"}}.dump(), 422,
       "to_team_id"},
      {"jury", "POST", "", json{{"text", "a"}, {"time", time}, {"to_team_id", "t3"}}.dump(), 422,
       "to_team_id"},
      {"jury", "POST", "", json{{"text", "a"}, {"from_team_id", "t3"}}.dump(), 422, "from_team_id"},
      {"jury", "POST", "", json{{"text", "a"}, {"from_team_id", "t1"}, {"to_team_id", "t2"}}.dump(),
       400, "to_team_id"},
      {"jury", "POST", "", json{{"text", "a"}, {"time", time}, {"id", "x"}}.dump(), 400, "id"},
      {"jury", "PUT", "/" + qid, json{{"text", "a"}, {"time", time}}.dump(), 409, "id"},
      {"jury", "PUT", "/p1", json{{"text", "a"}, {"time", time}, {"id", "p2"}}.dump(), 409, "id"},
      {"jury", "PUT", "/p1", json{{"text", "a"}}.dump(), 400, "time"},
      {"anonymous", "POST", "", R"({"text": "q"})", 401, "authentication required"},
      {"anonymous", "PUT", "/p1", json{{"text", "a"}, {"time", time}}.dump(), 401,
       "authentication required"},
  };
  for (const auto& c : cases) {
    const std::string& token = c.token_of == "team1"   ? team1
                               : c.token_of == "team2" ? team2
                               : c.token_of == "jury"  ? jury
                                                       : std::string();
    auto r = send(c.method, token, clars_path(c.path), c.body);
    EXPECT_EQ(r.status, c.status) << c.token_of << " " << c.method << " " << c.body << ": "
                                  << r.body;
    auto doc = body_of(r);
    ASSERT_TRUE(doc.is_object() && doc["message"].is_string()) << r.body;
    EXPECT_EQ(doc["code"], c.status);
    EXPECT_EQ(doc["message"].get<std::string>().rfind(c.names, 0), 0u)
        << "'" << doc["message"] << "' should name " << c.names;
  }
  auto wrong_type = testenv::http(port, "POST", clars_path(), R"({"text":"q"})",
                                  {{"Authorization", "Bearer " + team1}});
  EXPECT_EQ(wrong_type.status, 415);
  EXPECT_EQ(stored(), 1) << "only the first question";
  EXPECT_EQ(std::stoll(db.scalar("SELECT count(*) FROM events WHERE type = 'clarifications'")), 1);
  // The longest text is taken.
  posted(team1, {{"text", longest}});
}

TEST_F(Clarifications, TeamsAskOnlyWhileTheContestRuns) {
  posted(jury, {{"text", "Welcome"}, {"time", now_time()}});
  schedule(core::now_ms() + kHour);  // Not started.
  auto early = send("POST", team1, clars_path(), R"({"text": "q"})");
  EXPECT_EQ(early.status, 403) << early.body;
  EXPECT_EQ(body_of(early)["message"], "contest has not started yet");
  EXPECT_EQ(send("GET", "", clars_path()).status, 403) << "anonymous: not before the start";
  EXPECT_EQ(texts(team1), std::vector<std::string>{"Welcome"}) << "teams read them before";
  EXPECT_EQ(
      send("POST", jury, clars_path(), json{{"text", "Starts at ten"}, {"time", now_time()}}.dump())
          .status,
      201)
      << "the jury announces any time";
  auto about = posted(jury, {{"text", "About A"}, {"problem_id", "sum"}, {"time", now_time()}});
  EXPECT_EQ(texts(team1), (std::vector<std::string>{"Welcome", "Starts at ten"}))
      << "problems are secret until the start: so are messages naming one";
  EXPECT_EQ(send("GET", team1, clars_path("/" + about["id"].get<std::string>())).status, 404);
  EXPECT_EQ(texts(jury).size(), 3u);

  schedule(core::now_ms() - 6 * kHour);  // Over.
  auto late = send("POST", team1, clars_path(), R"({"text": "q"})");
  EXPECT_EQ(late.status, 403);
  EXPECT_EQ(body_of(late)["message"], "contest is over");
  auto proxied = send("POST", jury, clars_path(), R"({"text": "q", "from_team_id": "t1"})");
  EXPECT_EQ(proxied.status, 409) << proxied.body;
  EXPECT_EQ(texts(""), (std::vector<std::string>{"Welcome", "Starts at ten", "About A"}))
      << "anonymous sees the messages to all once it started";
  EXPECT_EQ(texts(team1), texts(""));
  EXPECT_EQ(stored(), 3);
}

TEST_F(Clarifications, TeamsAreRateLimitedWithRetryAfter) {
  for (int i = 0; i < kClarRateLimit; ++i) posted(team1, {{"text", "q" + std::to_string(i)}});
  auto limited = send("POST", team1, clars_path(), R"({"text": "one more"})");
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_GE(std::stoi(limited.headers["retry-after"]), 1);
  EXPECT_EQ(body_of(limited)["message"].get<std::string>().rfind("too many clarifications", 0), 0u);
  posted(team2, {{"text", "another team has its own allowance"}});
  posted(jury, {{"text", "the jury is not limited"}, {"from_team_id", "t1"}});
  EXPECT_EQ(stored(), kClarRateLimit + 2);
}

TEST_F(Clarifications, FinalizingWaitsForEveryAnswer) {
  auto question = posted(team1, {{"text", "Is the judge slow?"}});
  schedule(core::now_ms() - 6 * kHour);  // Over.
  const std::string contest = "/api/contests/" + cid;
  auto refused = send("PATCH", jury, contest, R"({"finalized": true})");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(body_of(refused)["message"], "1 clarification request(s) not answered yet");
  // An announcement answers nothing; an answer to the question does.
  posted(jury, {{"text", "Thanks all"}, {"time", now_time()}});
  EXPECT_EQ(send("PATCH", jury, contest, R"({"finalized": true})").status, 409);
  posted(jury, {{"text", "No"},
                {"reply_to_id", question["id"]},
                {"to_team_id", "t1"},
                {"time", now_time()}});
  auto finalized = send("PATCH", jury, contest, R"({"finalized": true})");
  EXPECT_EQ(finalized.status, 200) << finalized.body;
}

TEST_F(Clarifications, AccessListsTheCapabilitiesAndTheEndpoint) {
  auto team = body_of(send("GET", team1, "/api/contests/" + cid + "/access"));
  EXPECT_EQ(team["capabilities"], json::array({"team_submit", "team_clar"}));
  auto judge = body_of(send("GET", jury, "/api/contests/" + cid + "/access"));
  std::set<std::string> capabilities(judge["capabilities"].begin(), judge["capabilities"].end());
  EXPECT_TRUE(capabilities.count("proxy_clar") && capabilities.count("admin_clar"));
  bool listed = false;
  for (const auto& e : team["endpoints"]) {
    if (e["type"] != "clarifications") continue;
    listed = true;
    EXPECT_EQ(e["properties"], json::array({"id", "from_team_id", "to_team_id", "reply_to_id",
                                            "problem_id", "text", "time", "contest_time"}));
  }
  EXPECT_TRUE(listed);
}

}  // namespace
