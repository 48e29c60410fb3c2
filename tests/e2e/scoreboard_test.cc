// Standings end to end: a fresh database with a contest, 3 teams and verdicts recorded through
// the one Store path (no workers), read back over HTTP from a real judge-api: the jury sees the
// truth, the public and teams see the frozen board until the jury thaws it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

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
constexpr int64_t kMinute = 60'000;

class ScoreboardEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    // Running and frozen now: started 250 minutes ago, freeze from minute 240 of 300.
    start = core::now_ms() - 250 * kMinute;
    seed();
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{"DATABASE_URL=" + db.url(), "REDIS_URL=" + testenv::redis_url(),
                                 "JWT_SECRET=sb-secret", "JUDGE_LOG_LEVEL=warn"});
    ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "judge-api did not come up";
  }
  void TearDown() override { EXPECT_EQ(api->stop(), 0); }

  void seed() {
    core::Store store(db.url());
    core::SetupStore setup(store);
    core::AccountStore accounts(store);
    setup.upsert_contest({"sb", "SB", "SB", start, 300 * kMinute, 60 * kMinute, 20, "pass-fail"});
    for (const char* id : {"A", "B"}) {
      core::NewProblem p;
      p.problem = {"sb", id, id, id};
      p.tests = {{"1\n", "1\n", false}};
      setup.replace_problem(p);
    }
    for (const char* id : {"t1", "t2", "t3"}) {
      setup.upsert_team({id, id, id});
      setup.add_team_to_contest("sb", id);
    }
    accounts.upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    accounts.upsert_user("jury", core::hash_password("pw2"), core::Role::Jury, std::nullopt);
    // Jury truth: t3 2 solved 295; t2 1 solved 30 (CE free); t1 1 solved 40 (one WA).
    // Public (freeze from minute 240): t2 30, t1 40, t3 50; t3 B and t1 B pending.
    record(store, "t1", "A", 10, "WA");
    record(store, "t1", "A", 20, "AC");
    record(store, "t2", "A", 30, "AC");
    record(store, "t2", "B", 35, "CE");
    record(store, "t2", "B", 100, "");
    record(store, "t3", "A", 50, "AC");
    record(store, "t3", "B", 245, "AC");
    record(store, "t1", "B", 246, "WA");
  }

  // A submission at contest minute `minute`, judged `verdict` ("" = still queued).
  void record(core::Store& store, const std::string& team, const std::string& problem,
              int64_t minute, const std::string& verdict) {
    record_at(store, team, problem, start + minute * kMinute, verdict);
  }
  void record_at(core::Store& store, const std::string& team, const std::string& problem,
                 int64_t at_ms, const std::string& verdict) {
    auto s =
        core::SubmissionStore(store).create_submission({"sb", team, problem, "c", "int main(){}"});
    db.scalar("UPDATE submissions SET submitted_at = to_timestamp(" + std::to_string(at_ms) +
              "::double precision / 1000) WHERE id = " + std::to_string(s.id) + " RETURNING id");
    if (verdict.empty()) return;
    auto attempt = core::JudgingStore(store).claim(s.id, "sb", "w1", 30);
    ASSERT_TRUE(attempt);
    core::Judgement j;
    j.submission_id = s.id;
    j.verdict = domain::parse_verdict(verdict).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    ASSERT_EQ(core::JudgingStore(store)
                  .record_judgement(j, {core::Fence::Kind::Worker, attempt->attempt})
                  .status,
              core::RecordStatus::Recorded);
  }

  std::string login(const std::string& user, const std::string& password) {
    return testenv::login(port, user, password);
  }

  json get(const std::string& path, const std::string& token = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    auto r = testenv::http(port, "GET", path, "", headers);
    EXPECT_EQ(r.status, 200) << path << " -> " << r.body;
    return json::parse(r.body, nullptr, false);
  }

  testenv::FreshDatabase db;
  int64_t start = 0;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
};

// The CLICS scoreboard.json shape for a pass-fail contest (what the schema requires).
void expect_clics_shape(const json& board) {
  ASSERT_TRUE(board.is_object());
  EXPECT_TRUE(board["time"].is_string() && core::parse_time(board["time"].get<std::string>()));
  EXPECT_TRUE(board["contest_time"].is_string() &&
              core::parse_reltime(board["contest_time"].get<std::string>()));
  for (const char* field : {"started", "ended", "finalized", "end_of_updates"})
    EXPECT_TRUE(board["state"].contains(field)) << field;
  ASSERT_TRUE(board["rows"].is_array());
  for (const auto& row : board["rows"]) {
    EXPECT_TRUE(row["rank"].is_number_integer() && row["rank"].get<int>() >= 1);
    EXPECT_TRUE(row["team_id"].is_string());
    EXPECT_TRUE(row["score"]["num_solved"].is_number_integer());
    EXPECT_TRUE(row["score"]["total_time"].is_number_integer());
    EXPECT_FALSE(row["score"].contains("score"));
    for (const auto& cell : row["problems"]) {
      EXPECT_TRUE(cell["problem_id"].is_string());
      EXPECT_TRUE(cell["num_judged"].is_number_integer());
      EXPECT_TRUE(cell["num_pending"].is_number_integer());
      ASSERT_TRUE(cell["solved"].is_boolean());
      EXPECT_EQ(cell.contains("time"), cell["solved"].get<bool>()) << cell.dump();
    }
  }
}

// "team:rank:solved:time" per row, in order: one readable string to compare.
std::string ranking(const json& board) {
  std::string out;
  for (const auto& row : board["rows"]) {
    out += (out.empty() ? "" : " ") + row["team_id"].get<std::string>() + ":" +
           std::to_string(row["rank"].get<int>()) + ":" +
           std::to_string(row["score"]["num_solved"].get<int>()) + ":" +
           std::to_string(row["score"]["total_time"].get<int64_t>());
  }
  return out;
}

const json& cell(const json& board, const std::string& team, int problem) {
  for (const auto& row : board["rows"])
    if (row["team_id"] == team) return row["problems"][problem];
  throw std::runtime_error("no row for " + team);
}

TEST_F(ScoreboardEndToEnd, JurySeesTheTruthPublicSeesTheFreezeUntilThaw) {
  const std::string jury = login("jury", "pw2"), team = login("team1", "pw1");
  const std::string path = "/api/contests/sb/scoreboard";
  json by_jury = get(path, jury), by_team = get(path, team), anonymous = get(path);
  expect_clics_shape(by_jury);
  expect_clics_shape(anonymous);
  // For checking against the JSON Schemas with an external validator (not a test dependency).
  if (const char* dump = std::getenv("SCOREBOARD_JSON_DUMP")) {
    std::ofstream(std::string(dump) + ".jury.json") << by_jury.dump(1);
    std::ofstream(std::string(dump) + ".public.json") << anonymous.dump(1);
  }
  EXPECT_EQ(ranking(by_jury), "t3:1:2:295 t2:2:1:30 t1:3:1:40");
  EXPECT_EQ(ranking(anonymous), "t2:1:1:30 t1:2:1:40 t3:3:1:50");
  EXPECT_EQ(by_team["rows"], anonymous["rows"]) << "teams get the public view";
  EXPECT_EQ(cell(anonymous, "t3", 1)["num_pending"], 1) << "hidden AC shows as pending";
  EXPECT_EQ(cell(by_jury, "t1", 1)["num_judged"], 1);
  EXPECT_EQ(cell(anonymous, "t2", 1)["num_pending"], 1) << "queued is pending for everyone";
  EXPECT_EQ(cell(by_jury, "t2", 1)["num_judged"], 0) << "CE is not a try";
  EXPECT_FALSE(anonymous["state"]["frozen"].is_null());
  EXPECT_TRUE(anonymous["state"]["thawed"].is_null());

  auto patch = [&](const std::string& token, const std::string& body) {
    return testenv::http(
        port, "PATCH", "/api/contests/sb", body,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  };
  const std::string thaw_now =
      json{{"scoreboard_thaw_time", core::format_time(core::now_ms())}}.dump();
  EXPECT_EQ(patch(team, thaw_now).status, 403) << "teams cannot thaw";
  EXPECT_EQ(patch(jury, "{not json").status, 400);
  EXPECT_EQ(patch(jury, R"({"scoreboard_thaw_time":"soon"})").status, 400);
  auto thawed = patch(jury, thaw_now);
  ASSERT_EQ(thawed.status, 200) << thawed.body;
  EXPECT_TRUE(json::parse(thawed.body)["scoreboard_thaw_time"].is_string());

  json after = get(path);
  EXPECT_EQ(ranking(after), ranking(by_jury)) << "after the thaw the public sees the truth";
  EXPECT_FALSE(get("/api/contests/sb/state")["thawed"].is_null());
  EXPECT_EQ(patch(jury, thaw_now).status, 422) << "already thawed";
}

// The API caches the board, keyed on database state: a verdict recorded by another process (here
// the test, as a worker would) shows on the next request, well within a second.
// The problem ids of a board's rows.
std::set<std::string> problem_ids(const json& board) {
  std::set<std::string> ids;
  for (const auto& row : board["rows"])
    for (const auto& cell : row["problems"]) ids.insert(cell["problem_id"].get<std::string>());
  return ids;
}

// Issue 16, item 6: before the start a team gets 403 on problems, and its scoreboard named every
// problem id all the same. Now a non-jury board carries no problem cells before the start; the
// jury's does, and the cache keeps the two apart and shows them to the team from the start on.
TEST_F(ScoreboardEndToEnd, BeforeTheStartATeamsBoardNamesNoProblems) {
  const int64_t starts = core::now_ms() + 3000;
  {
    core::Store store(db.url());
    core::SetupStore setup(store);
    setup.upsert_contest(
        {"soon", "Soon", "Soon", starts, 300 * kMinute, 60 * kMinute, 20, "pass-fail"});
    core::NewProblem p;
    p.problem = {"soon", "secret-p", "S", "Secret"};
    p.tests = {{"1\n", "1\n", false}};
    setup.replace_problem(p);
    setup.add_team_to_contest("soon", "t1");
  }
  const std::string team = login("team1", "pw1"), jury = login("jury", "pw2");
  auto problems = testenv::http(port, "GET", "/api/contests/soon/problems", "",
                                {{"Authorization", "Bearer " + team}});
  ASSERT_EQ(problems.status, 403) << "the probe's premise: problems are secret";
  // The jury's board first: it is cached, and must not be what the team then gets.
  EXPECT_EQ(problem_ids(get("/api/contests/soon/scoreboard", jury)),
            std::set<std::string>{"secret-p"});
  auto board = get("/api/contests/soon/scoreboard", team);
  ASSERT_LT(core::now_ms(), starts) << "the machine was too slow to check before the start";
  expect_clics_shape(board);
  ASSERT_EQ(board["rows"].size(), 1u);
  EXPECT_EQ(board["rows"][0]["team_id"], "t1");
  EXPECT_EQ(board["rows"][0]["problems"], json::array()) << board.dump();
  EXPECT_EQ(board.dump().find("secret-p"), std::string::npos);
  // From the start on the cached board without problems is not served any more.
  EXPECT_TRUE(testenv::eventually(
      [&] {
        return problem_ids(get("/api/contests/soon/scoreboard", team)) ==
               std::set<std::string>{"secret-p"};
      },
      6000))
      << "the team's board shows the problems once the contest started";
  EXPECT_GE(core::now_ms(), starts);
}

TEST_F(ScoreboardEndToEnd, ANewVerdictShowsWithinASecondDespiteTheCache) {
  const std::string jury = login("jury", "pw2");
  const std::string path = "/api/contests/sb/scoreboard";
  const std::string before = ranking(get(path, jury));
  EXPECT_EQ(ranking(get(path, jury)), before);
  auto metrics = testenv::http(port, "GET", "/metrics");
  EXPECT_NE(metrics.body.find("judge_api_scoreboard_cache_total{result=\"hit\"}"),
            std::string::npos)
      << "the second request is served from the cache";

  core::Store store(db.url());
  record(store, "t2", "B", 200, "AC");  // Before the freeze: everyone sees it.
  const auto recorded = std::chrono::steady_clock::now();
  bool shown = testenv::eventually(
      [&] { return ranking(get(path, jury)) == "t2:1:2:230 t3:2:2:295 t1:3:1:40"; }, 1000);
  EXPECT_TRUE(shown) << "after "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - recorded)
                            .count()
                     << " ms: " << ranking(get(path, jury));
  EXPECT_EQ(ranking(get(path)), "t2:1:2:230 t1:2:1:40 t3:3:1:50") << "the public view too";
}

// A submission stamped in the future counts from its time on, without any further write: the
// cached board must expire by itself.
TEST_F(ScoreboardEndToEnd, ASubmissionCountsFromItsTimeOnWithoutAnotherWrite) {
  const std::string jury = login("jury", "pw2");
  const std::string path = "/api/contests/sb/scoreboard";
  core::Store store(db.url());
  record_at(store, "t1", "B", core::now_ms() + 1500, "AC");
  EXPECT_FALSE(cell(get(path, jury), "t1", 1)["solved"].get<bool>()) << "not yet";
  EXPECT_TRUE(testenv::eventually(
      [&] { return cell(get(path, jury), "t1", 1)["solved"].get<bool>(); }, 10000));
}

}  // namespace

// Accept-Encoding: gzip gets the same document, gzip'd; an unchanged board is a 304 for the
// ETag it was served with, and a new verdict changes the ETag and the gzip'd rows alike.
TEST_F(ScoreboardEndToEnd, GzipAndETagFollowTheBoard) {
  const std::string jury = login("jury", "pw2");
  const std::string path = "/api/contests/sb/scoreboard";
  const std::map<std::string, std::string> gzip{{"Authorization", "Bearer " + jury},
                                                {"Accept-Encoding", "gzip, deflate, br"}};
  auto plain = testenv::http(port, "GET", path, "", {{"Authorization", "Bearer " + jury}});
  auto packed = testenv::http(port, "GET", path, "", gzip);
  ASSERT_EQ(plain.status, 200);
  ASSERT_EQ(packed.status, 200);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(packed.headers["content-encoding"], "gzip");
  EXPECT_EQ(packed.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");
  EXPECT_LT(packed.body.size(), plain.body.size());
  json from_gzip = json::parse(gunzip(packed.body), nullptr, false),
       identity = json::parse(plain.body);
  expect_clics_shape(from_gzip);
  EXPECT_EQ(from_gzip["rows"], identity["rows"]);
  EXPECT_EQ(from_gzip["state"], identity["state"]);
  const std::string etag = packed.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(etag, plain.headers["etag"]) << "one ETag per content coding";

  auto again = gzip;
  again["If-None-Match"] = etag;
  auto unchanged = testenv::http(port, "GET", path, "", again);
  EXPECT_EQ(unchanged.status, 304);
  EXPECT_TRUE(unchanged.body.empty());
  auto other_coding = testenv::http(port, "GET", path, "",
                                    {{"Authorization", "Bearer " + jury}, {"If-None-Match", etag}});
  EXPECT_EQ(other_coding.status, 200) << "the gzip ETag does not validate the identity body";

  core::Store store(db.url());
  record_at(store, "t1", "B", core::now_ms() - kMinute, "AC");  // t1 now has 2 solved.
  auto changed = testenv::http(port, "GET", path, "", again);
  ASSERT_EQ(changed.status, 200) << "a new verdict invalidates the ETag";
  EXPECT_NE(changed.headers["etag"], etag);
  json now = json::parse(gunzip(changed.body), nullptr, false);
  EXPECT_EQ(cell(now, "t1", 1)["solved"], true) << "the gzip'd rows are the new ones";
  EXPECT_EQ(now["rows"], get(path, jury)["rows"]);
}

// Two HTTP/1.1 requests without a Connection header on one TCP connection: the server must
// keep it open (HTTP/1.1 default), so that clients like curl, wrk or Go do not reconnect per
// request. Reads until both responses (each with its Content-Length) arrived or the peer closed.
TEST_F(ScoreboardEndToEnd, Http11ConnectionsStayOpenWithoutAConnectionHeader) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const std::string request = "GET /api/contests/sb/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  std::string received;
  int answered = 0;
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()))
        << "request " << i + 1 << ": the connection was closed";
    // One whole response: the head, then Content-Length bytes.
    while (true) {
      size_t head_end = received.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t at = received.find("Content-Length: ");
        ASSERT_NE(at, std::string::npos) << received;
        size_t length = std::stoul(received.substr(at + 16));
        if (received.size() >= head_end + 4 + length) {
          EXPECT_EQ(received.rfind("HTTP/1.1 200", 0), 0u) << received;
          EXPECT_NE(received.find("Connection: Keep-Alive"), std::string::npos) << received;
          received.erase(0, head_end + 4 + length);
          ++answered;
          break;
        }
      }
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      received.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  EXPECT_EQ(answered, 2);
}
