// The pages for people over HTTP from a real judge-api (no workers): the files it serves and how
// (type, validators, gzip, security headers), the folder mode for editing pages, and what the
// pages need from the API: the feed token of GET state, compile output on a team's own compile
// error, memory per run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/judging_store.h"
#include "core/setup_store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "gzip.h"
#include "test_env.h"

namespace {

using json = nlohmann::json;
using testenv::gunzip;
namespace fs = std::filesystem;

std::string read_source(const std::string& relative) {
  std::ifstream in(testenv::source_dir() + "/" + relative, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class PagesEndToEnd : public ::testing::Test {
 protected:
  void start_api(const std::vector<std::string>& extra_args = {}) {
    port = testenv::free_port();
    std::vector<std::string> argv{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    api = std::make_unique<testenv::Process>(
        argv,
        std::vector<std::string>{"DATABASE_URL=" + db.url(), "REDIS_URL=" + testenv::redis_url(),
                                 "JWT_SECRET=pages-secret", "JUDGE_LOG_LEVEL=warn"});
    ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "judge-api did not come up";
  }
  void TearDown() override {
    if (api) {
      EXPECT_EQ(api->stop(), 0);
    }
  }

  testenv::HttpResponse get(const std::string& path,
                            const std::map<std::string, std::string>& headers = {}) {
    return testenv::http(port, "GET", path, "", headers);
  }

  testenv::FreshDatabase db;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
};

TEST_F(PagesEndToEnd, ServesTheBuiltInPagesWithTypesValidatorsAndAPolicy) {
  start_api();
  const std::pair<const char*, const char*> pages[] = {
      {"/", "api/web/index.html"},
      {"/contests/demo/scoreboard", "api/web/scoreboard.html"},
      {"/contests/any-contest/team", "api/web/team.html"}};
  for (auto [path, file] : pages) {
    auto page = get(path);
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, read_source(file)) << path << " serves " << file;
    EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
    EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
    EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"),
              std::string::npos);
    EXPECT_EQ(page.headers["cache-control"], "no-cache");
    // IMF-fixdate (RFC 9110 5.6.7): the team page corrects its clock by it.
    EXPECT_TRUE(std::regex_match(
        page.headers["date"],
        std::regex(R"([A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)")))
        << page.headers["date"];
    ASSERT_FALSE(page.headers["etag"].empty());
    auto again = get(path, {{"If-None-Match", page.headers["etag"]}});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty());
  }
  auto css = get("/static/app.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.headers["content-type"], "text/css; charset=utf-8");
  EXPECT_EQ(css.body, read_source("api/web/static/app.css"));
}

TEST_F(PagesEndToEnd, UnknownOrUnsafeFileNamesAreJson404s) {
  start_api();
  for (const char* path : {"/static/nope.js", "/static/.hidden", "/static/..%2Fscoreboard.html",
                           "/static/a%2Fb.js", "/contests/x/nothing"}) {
    auto reply = get(path);
    EXPECT_EQ(reply.status, 404) << path;
    auto body = json::parse(reply.body, nullptr, false);
    EXPECT_EQ(body.value("code", 0), 404) << path << ": " << reply.body;
  }
}

// --web-dir: the pages come from a folder, read on every request (edit, reload, see).
TEST_F(PagesEndToEnd, WebDirServesEditsAndGzipsLargeFiles) {
  const fs::path dir = fs::temp_directory_path() / ("pages-test-" + std::to_string(getpid()));
  fs::create_directories(dir / "static");
  // Removed however the test ends (an ASSERT returns early).
  std::unique_ptr<const fs::path, void (*)(const fs::path*)> remove_dir(&dir,
                                                                        [](const fs::path* p) {
                                                                          std::error_code ec;
                                                                          fs::remove_all(*p, ec);
                                                                        });
  const std::string script(4000, 'x');
  std::ofstream(dir / "static" / "big.js") << "// " << script << "\n";
  std::ofstream(dir / "index.html") << "<!doctype html><title>one</title>";
  start_api({"--web-dir", dir.string()});

  auto plain = get("/static/big.js");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  auto zipped = get("/static/big.js", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.headers["content-encoding"], "gzip");
  EXPECT_EQ(zipped.headers["vary"], "Accept-Encoding");
  EXPECT_LT(zipped.body.size(), plain.body.size() / 10);
  EXPECT_EQ(gunzip(zipped.body), plain.body);
  EXPECT_NE(zipped.headers["etag"], plain.headers["etag"]) << "one validator per coding";

  auto first = get("/");
  std::ofstream(dir / "index.html") << "<!doctype html><title>two</title>";
  auto second = get("/", {{"If-None-Match", first.headers["etag"]}});
  EXPECT_EQ(second.status, 200) << "the edit is served, not a 304";
  EXPECT_EQ(second.body, "<!doctype html><title>two</title>");
  EXPECT_EQ(get("/contests/c/team").status, 404) << "a page missing from the folder";
}

// What the pages ask of the API beyond CLICS.
class PagesApi : public PagesEndToEnd {
 protected:
  void SetUp() override {
    core::Store store(db.url());
    core::SetupStore setup(store);
    core::AccountStore accounts(store);
    const int64_t now = core::now_ms();
    setup.upsert_contest(
        {"pc", "PC", "PC", now - 60'000, 3'600'000, std::nullopt, 20, "pass-fail"});
    core::NewProblem p;
    p.problem = {"pc", "A", "A", "A"};
    p.tests = {{"1\n", "1\n", false}};
    setup.replace_problem(p);
    for (const char* id : {"t1", "t2"}) {
      setup.upsert_team({id, id, id});
      setup.add_team_to_contest("pc", id);
    }
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("jury", core::hash_password("pw2"), core::Role::Jury, std::nullopt);
    start_api();
  }

  // A submission of `team` judged `verdict` with compiler messages and one run.
  void judge(const std::string& team, const std::string& verdict, const std::string& messages) {
    core::Store store(db.url());
    auto s = core::SubmissionStore(store).create_submission({"pc", team, "A", "c", "int main(){}"});
    auto attempt = core::JudgingStore(store).claim(s.id, "pc", "w1", 30);
    ASSERT_TRUE(attempt);
    core::Judgement j;
    j.submission_id = s.id;
    j.verdict = domain::parse_verdict(verdict).value();
    j.judged_by = "w1";
    j.start_ms = j.end_ms = core::now_ms();
    j.compile_output = messages;
    const int64_t testcase = std::stoll(db.scalar("SELECT min(id) FROM testcases"));
    if (verdict != "CE") j.runs.push_back({1, testcase, *j.verdict, 12, 15, 2048});
    ASSERT_EQ(core::JudgingStore(store)
                  .record_judgement(j, {core::Fence::Kind::Worker, attempt->attempt})
                  .status,
              core::RecordStatus::Recorded);
  }

  json get_json(const std::string& path, const std::string& token) {
    auto r = get(path, {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_F(PagesApi, TeamsSeeCompilerMessagesOfTheirCompileErrorsOnly) {
  judge("t1", "CE", "a.c:1: error: expected ';'");
  judge("t1", "WA", "a.c:1: warning: unused variable");
  judge("t2", "CE", "t2's secret");
  const std::string team = testenv::login(port, "team1", "pw1");
  const std::string jury = testenv::login(port, "jury", "pw2");

  auto own = get_json("/api/contests/pc/judgements", team);
  ASSERT_EQ(own.size(), 2u) << own.dump();
  for (const auto& j : own) {
    if (j["judgement_type_id"] == "CE")
      EXPECT_EQ(j.value("compile_output", ""), "a.c:1: error: expected ';'");
    else
      EXPECT_FALSE(j.contains("compile_output")) << j.dump();
  }
  auto one = get_json("/api/contests/pc/judgements/" + own[0]["id"].get<std::string>(), team);
  EXPECT_EQ(one.contains("compile_output"), one["judgement_type_id"] == "CE");

  auto all = get_json("/api/contests/pc/judgements", jury);
  ASSERT_EQ(all.size(), 3u);
  for (const auto& j : all) EXPECT_TRUE(j.contains("compile_output")) << j.dump();

  auto runs = get_json("/api/contests/pc/runs", team);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["memory_kib"], 2048);
  EXPECT_EQ(runs[0]["judgement_type_id"], "WA");
}

// GET state names the feed's newest token: a feed from there carries only what came later.
TEST_F(PagesApi, StateNamesTheTokenAFeedFollowsFrom) {
  const std::string jury = testenv::login(port, "jury", "pw2");
  auto state = get("/api/contests/pc/state", {{"Authorization", "Bearer " + jury}});
  ASSERT_EQ(state.status, 200);
  const std::string token = state.headers["x-event-token"];
  ASSERT_FALSE(token.empty());
  const std::string feed = "/api/contests/pc/event-feed?stream=false&since_token=" + token;
  auto before = get(feed, {{"Authorization", "Bearer " + jury}});
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.body, "") << "nothing after the newest token";

  judge("t1", "AC", "");
  auto after = get(feed, {{"Authorization", "Bearer " + jury}});
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("\"type\":\"judgements\""), std::string::npos) << after.body;
  EXPECT_EQ(after.body.find("\"token\":\"" + token + "\""), std::string::npos)
      << "the token's own event is not sent again";
}

}  // namespace
