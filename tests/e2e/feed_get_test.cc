// The event feed carries, for every object, exactly what GET serves that caller (issue 18): a
// client that builds its state from the feed (the last event of each object wins, a deletion
// removes it) holds, for every type and every role, the objects GET lists, each byte for byte
// as GET prints it. And ?strict=true leaves our extensions out of both, and only those.
// A real judge-api (no workers) on a fresh database; verdicts are recorded through the Store
// after a claim, as a worker would, and overridden and rejudged through the API.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/judging_store.h"
#include "core/problem_data.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using json = nlohmann::json;

constexpr int kRedisDb = 10;  // Nothing pops this db's queues.
constexpr int kStartupMs = 30000;
constexpr int64_t kHour = 3'600'000;
const std::string kContest = "/api/contests/fc";

// The feed's types with their GET endpoints; contest and state are singletons (id null).
struct Endpoint {
  std::string type, path;
  bool singleton = false;
};
const std::vector<Endpoint>& endpoints() {
  static const std::vector<Endpoint> kEndpoints = {
      {"contest", kContest, true},
      {"state", kContest + "/state", true},
      {"judgement-types", kContest + "/judgement-types"},
      {"languages", kContest + "/languages"},
      {"problems", kContest + "/problems"},
      {"groups", kContest + "/groups"},
      {"organizations", kContest + "/organizations"},
      {"teams", kContest + "/teams"},
      {"accounts", kContest + "/accounts"},
      {"submissions", kContest + "/submissions"},
      {"judgements", kContest + "/judgements"},
      {"runs", kContest + "/runs"},
  };
  return kEndpoints;
}

// What a feed client holds at the end of the feed: type -> id -> the data's text as sent.
using FeedState = std::map<std::string, std::map<std::string, std::string>>;

class FeedMatchesGet : public ::testing::Test {
 protected:
  void SetUp() override {
    store = std::make_unique<core::Store>(db.url());
    core::SetupStore setup(*store);
    setup.upsert_contest({"fc", "Feed Contest", "", core::now_ms() - kHour, 5 * kHour, std::nullopt,
                          20, "pass-fail"});
    for (const char* id : {"A", "B"}) {
      core::NewProblem p;
      p.problem = {"fc", id, id, std::string("Problem ") + id};
      p.problem.ordinal = id[0] - 'A' + 1;
      p.tests = {{"1\n", "1\n", true}, {"2\n", "2\n", false}};
      setup.replace_problem(p);
    }
    ASSERT_TRUE(setup.insert_organization({"org1", "Org One", "Organization One", "NLD"}));
    ASSERT_TRUE(setup.insert_group({"g1", "Group One"}));
    ASSERT_TRUE(setup.insert_team("fc", {"t1", "Team One", "", "org1", {"g1"}}));
    setup.upsert_team({"t2", "Team Two", "Team 2"});
    setup.add_team_to_contest("fc", "t2");
    core::AccountStore accounts(*store);
    accounts.upsert_user("admin", core::hash_password("apw"), core::Role::Admin, std::nullopt);
    accounts.upsert_user("jury", core::hash_password("jpw"), core::Role::Jury, std::nullopt);
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("team2", core::hash_password("pw2"), core::Role::Team, "t2");
  }
  void TearDown() override {
    if (api) EXPECT_EQ(api->stop(), 0) << "judge-api exits cleanly on SIGTERM";
  }

  void start_api() {
    port = testenv::free_port();
    std::vector<std::string> env = {
        "DATABASE_URL=" + db.url(),
        "REDIS_URL=" + testenv::redis_url() + "/" + std::to_string(kRedisDb),
        "JWT_SECRET=feed-get-secret", "JUDGE_LOG_LEVEL=warn"};
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
      if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        env);
    ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs)) << "judge-api did not come up";
  }

  testenv::HttpResponse call(const std::string& method, const std::string& path,
                             const std::string& token, const std::string& body = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.empty()) headers["Content-Type"] = "application/json";
    return testenv::http(port, method, path, body, headers);
  }

  // A claim and a worker's verdict with one run per test case (the first run with a custom
  // validator's message, the jury's only), or a compile error without runs.
  int64_t judge(int64_t submission_id, const std::string& verdict) {
    core::JudgingStore judging(*store);
    auto attempt = judging.claim(submission_id, "fc", "w1", 300);
    EXPECT_TRUE(attempt);
    core::Judgement j;
    j.submission_id = submission_id;
    j.verdict = domain::parse_verdict(verdict).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    j.max_run_time_ms = 3;
    if (verdict == "CE") {
      j.compile_output = "main.c:1: error: expected ';'";
    } else {
      for (const auto& t : core::ProblemData(*store).testcases("fc", "A"))
        j.runs.push_back({t.ordinal, t.id, domain::Verdict::AC, 3, 4, 1000});
      j.runs.front().judge_message = "expected 1, got 2";
    }
    auto result =
        judging.record_judgement(j, {core::Fence::Kind::Worker, attempt ? attempt->attempt : 0});
    EXPECT_EQ(result.status, core::RecordStatus::Recorded);
    return result.judgement_id;
  }
  int64_t submit(const std::string& team, const std::string& problem,
                 const std::string& language = "c") {
    return core::SubmissionStore(*store)
        .create_submission({"fc", team, problem, language, "int main(){}"})
        .id;
  }

  // Every state a contest's objects can be in: judged (WA with runs, CE with the compiler's
  // messages, AC), queued, being judged, overridden by the jury (the team's old judgement and
  // its runs leave its view), rejudged (queued again), a Java submission (entry point).
  void make_history() {
    const int64_t wa = submit("t1", "A");
    const int64_t replaced = judge(wa, "WA");
    judge(submit("t1", "A"), "CE");
    const int64_t ac = submit("t2", "A");
    judge(ac, "AC");
    submit("t2", "B");
    const int64_t judging = submit("t1", "B");
    ASSERT_TRUE(core::JudgingStore(*store).claim(judging, "fc", "w2", 300));
    start_api();
    const std::string jury = testenv::login(port, "jury", "jpw");
    auto put = call("PUT", kContest + "/judgements/" + std::to_string(replaced), jury,
                    R"({"judgement_type_id":"AC"})");
    ASSERT_EQ(put.status, 200) << put.body;
    auto rejudge = call("POST", kContest + "/rejudgings", jury,
                        json{{"submission_ids", {std::to_string(ac)}}}.dump());
    ASSERT_EQ(rejudge.status, 202) << rejudge.body;
  }

  // The feed as `token` sees it now, as a client builds its state from it.
  FeedState feed_state(const std::string& token, const std::string& query) {
    auto feed = call("GET", kContest + "/event-feed?stream=false" + query, token);
    EXPECT_EQ(feed.status, 200) << feed.body;
    FeedState state;
    std::istringstream lines(feed.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      auto event = json::parse(line);
      const std::string id = event["id"].is_null() ? "" : event["id"].get<std::string>();
      // The data's text as sent: between "data": and the token (hex digits, last).
      const size_t from = line.find(",\"data\":") + 8, to = line.rfind(",\"token\":");
      const std::string data = line.substr(from, to - from);
      EXPECT_EQ(json::parse(data), event["data"]) << line;
      if (data == "null") {
        state[event["type"]].erase(id);
      } else {
        state[event["type"]][id] = data;
      }
    }
    return state;
  }

  // For every type (query: "" or "&strict=true"): the objects the feed left `token` with are those
  // GET lists, each the same text as GET's (the list and the object by id); none where GET refuses
  // the caller.
  void expect_feed_matches_get(const std::string& role, const std::string& token,
                               const std::string& query) {
    FeedState state = feed_state(token, query);
    const std::string get_query = query.empty() ? "" : "?" + query.substr(1);
    for (const auto& endpoint : endpoints()) {
      SCOPED_TRACE(role + " " + endpoint.type + " " + query);
      const auto& objects = state[endpoint.type];
      auto list = call("GET", endpoint.path + get_query, token);
      if (list.status != 200) {
        EXPECT_TRUE(objects.empty())
            << "GET is a " << list.status << ", the feed has " << objects.size() << " of them";
        continue;
      }
      if (endpoint.singleton) {
        ASSERT_EQ(objects.size(), 1u);
        EXPECT_EQ(objects.begin()->second, list.body);
        continue;
      }
      std::string from_feed = "[";
      std::set<std::string> listed;
      for (const auto& object : json::parse(list.body)) {
        const std::string id = object["id"];
        listed.insert(id);
        auto it = objects.find(id);
        if (it == objects.end()) {
          ADD_FAILURE() << "GET lists " << id << ", the feed has no such object";
          continue;
        }
        from_feed += (from_feed.size() > 1 ? "," : "") + it->second;
        auto one = call("GET", endpoint.path + "/" + id + get_query, token);
        EXPECT_EQ(one.status, 200) << id;
        EXPECT_EQ(one.body, it->second) << "GET " << id << " and its last event differ";
      }
      for (const auto& [id, data] : objects)
        EXPECT_TRUE(listed.count(id)) << "the feed has " << id << " which GET does not list";
      EXPECT_EQ(list.body, from_feed + "]");
    }
  }

  std::map<std::string, std::string> role_tokens() {
    return {{"admin", testenv::login(port, "admin", "apw")},
            {"jury", testenv::login(port, "jury", "jpw")},
            {"team1", testenv::login(port, "team1", "pw1")},
            {"team2", testenv::login(port, "team2", "pw2")},
            {"anonymous", ""}};
  }

  testenv::FreshDatabase db;
  std::unique_ptr<core::Store> store;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
};

TEST_F(FeedMatchesGet, ForEveryTypeAndRoleTheFeedBuildsWhatGetServes) {
  make_history();
  for (const auto& [role, token] : role_tokens()) expect_feed_matches_get(role, token, "");
}

TEST_F(FeedMatchesGet, AlsoWithStrict) {
  make_history();
  for (const auto& [role, token] : role_tokens())
    expect_feed_matches_get(role, token, "&strict=true");
}

// Before the start only the jury submits; moving the start moves their contest times, in GET
// and so in the feed.
TEST_F(FeedMatchesGet, MovingTheStartMovesContestTimesInTheFeedToo) {
  core::SetupStore(*store).upsert_contest(
      {"fc", "Feed Contest", "", core::now_ms() + kHour, 5 * kHour, std::nullopt, 20, "pass-fail"});
  judge(submit("t1", "A"), "WA");
  start_api();
  const std::string admin = testenv::login(port, "admin", "apw");
  const std::string later = core::format_time(core::now_ms() + 2 * kHour);
  auto patch = call("PATCH", kContest, admin, json{{"start_time", later}}.dump());
  ASSERT_EQ(patch.status, 200) << patch.body;
  expect_feed_matches_get("admin", admin, "");
}

// The pure spec with ?strict=true: none of our extensions anywhere (GET and feed), and without
// it they are there, for the roles that may see them.
TEST_F(FeedMatchesGet, StrictLeavesOutEveryExtensionAndOnlyThem) {
  make_history();
  const std::map<std::string, std::vector<std::string>> ours = {
      {"submissions", {"judging_state"}},
      {"judgements", {"current", "compile_output"}},
      {"runs", {"memory_kib", "judge_message"}},
  };
  const std::string jury = testenv::login(port, "jury", "jpw");
  for (const auto& [type, keys] : ours) {
    SCOPED_TRACE(type);
    auto extended = json::parse(call("GET", kContest + "/" + type, jury).body);
    auto strict = json::parse(call("GET", kContest + "/" + type + "?strict=true", jury).body);
    ASSERT_EQ(extended.size(), strict.size());
    ASSERT_FALSE(extended.empty());
    for (const auto& key : keys) {
      bool somewhere = false;
      for (const auto& object : extended) somewhere = somewhere || object.contains(key);
      EXPECT_TRUE(somewhere) << key << " is served without strict";
      for (const auto& object : strict) EXPECT_FALSE(object.contains(key)) << object.dump();
    }
    for (size_t i = 0; i < extended.size(); ++i) {
      for (const auto& key : keys) extended[i].erase(key);
      EXPECT_EQ(extended[i], strict[i]) << "strict removes nothing else";
    }
    FeedState feed = feed_state(jury, "&strict=true");
    for (const auto& [id, data] : feed[type])
      for (const auto& key : keys) EXPECT_FALSE(json::parse(data).contains(key)) << data;
  }
  // The contest carries its medal settings (ours) unless strict.
  auto contest = json::parse(call("GET", kContest, jury).body);
  auto strict_contest = json::parse(call("GET", kContest + "?strict=true", jury).body);
  for (const char* key : {"gold_medals", "silver_medals", "bronze_medals", "extra_bronze"}) {
    EXPECT_TRUE(contest.contains(key)) << key << " is served without strict";
    EXPECT_FALSE(strict_contest.contains(key)) << strict_contest.dump();
    contest.erase(key);
  }
  EXPECT_EQ(contest, strict_contest) << "strict removes nothing else";
  // The scoreboard's cells carry first_to_solve (ours) unless strict.
  auto board = json::parse(call("GET", kContest + "/scoreboard", jury).body);
  auto strict_board = json::parse(call("GET", kContest + "/scoreboard?strict=true", jury).body);
  ASSERT_FALSE(board["rows"].empty());
  EXPECT_TRUE(board["rows"][0]["problems"][0].contains("first_to_solve"));
  for (const auto& row : strict_board["rows"])
    for (const auto& cell : row["problems"]) EXPECT_FALSE(cell.contains("first_to_solve"));
  // /access lists a type's properties as the caller gets them.
  auto access = json::parse(call("GET", kContest + "/access?strict=true", jury).body);
  for (const auto& endpoint : access["endpoints"])
    for (const auto& key :
         ours.count(endpoint["type"]) ? ours.at(endpoint["type"]) : std::vector<std::string>{})
      EXPECT_EQ(std::count(endpoint["properties"].begin(), endpoint["properties"].end(), key), 0);
}

TEST_F(FeedMatchesGet, StrictIsTrueOrFalseOnEveryApiRoute) {
  start_api();
  const std::string jury = testenv::login(port, "jury", "jpw");
  for (const std::string& path :
       {std::string("/api"), kContest, kContest + "/submissions", kContest + "/state",
        kContest + "/scoreboard", kContest + "/event-feed"}) {
    auto bad = call("GET", path + "?strict=yes", jury);
    EXPECT_EQ(bad.status, 400) << path;
    EXPECT_NE(bad.body.find("strict"), std::string::npos) << bad.body;
  }
  EXPECT_EQ(call("GET", "/api?strict=false", "").status, 200);
  EXPECT_EQ(call("GET", "/healthz?strict=true", "").status, 200);
  EXPECT_EQ(call("GET", "/healthz?strict=yes", "").status, 200) << "not a CLICS route";
}

}  // namespace
