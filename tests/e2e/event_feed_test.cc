// The event feed end to end: a real judge-api (no workers) on a fresh database, read by a small
// streaming HTTP client that decodes the chunked NDJSON body as it arrives. Verdicts are recorded
// through core::JudgingStore::record_judgement after a claim, as a worker would.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <regex>
#include <set>

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
using Clock = std::chrono::steady_clock;

constexpr int kRedisDb = 10;  // Nothing pops this db's queues.
constexpr int kStartupMs = 30000;
constexpr int kLiveMs = 2000;  // A change reaches an open feed within this.
constexpr int64_t kHour = 3'600'000;

int64_t ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// One GET .../event-feed connection. Reads the response head, then decodes the chunked body
// incrementally: next_line() returns each NDJSON line ("" for a keep-alive newline).
class FeedClient {
 public:
  FeedClient(int port, const std::string& path, const std::string& token = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("cannot connect to the API");
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
    read_head();
  }
  ~FeedClient() { close(); }
  FeedClient(const FeedClient&) = delete;
  FeedClient& operator=(const FeedClient&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // The next line of the body without its newline; nullopt on timeout or at the end.
  std::optional<std::string> next_line(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      auto newline = body_.find('\n');
      if (newline != std::string::npos) {
        std::string line = body_.substr(0, newline);
        body_.erase(0, newline + 1);
        return line;
      }
      if (ended_ || eof_) return std::nullopt;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0 || !receive(static_cast<int>(left.count()))) return std::nullopt;
    }
  }
  // The next event (keep-alive newlines skipped), parsed.
  std::optional<json> next_event(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      auto line = next_line(std::max<int>(0, static_cast<int>(left.count())));
      if (!line) return std::nullopt;
      if (line->empty()) continue;
      return json::parse(*line);
    }
  }
  // Events until one of `type` whose data matches `id` (or any id when empty) comes; nullopt
  // when none came within timeout_ms. Everything read on the way is appended to `seen`.
  std::optional<json> wait_for(const std::string& type, const std::string& id, int timeout_ms,
                               std::vector<json>* seen = nullptr) {
    const auto start = Clock::now();
    while (ms_since(start) < timeout_ms) {
      auto event = next_event(static_cast<int>(timeout_ms - ms_since(start)));
      if (!event) return std::nullopt;
      if (seen) seen->push_back(*event);
      if ((*event)["type"] == type && (id.empty() || (*event)["id"] == id)) return event;
    }
    return std::nullopt;
  }
  // Every event up to the end of the body (?stream=false); fails the test if it does not end.
  std::vector<json> read_to_end(int timeout_ms = 10000) {
    std::vector<json> events;
    while (auto event = next_event(timeout_ms)) events.push_back(*event);
    EXPECT_TRUE(ended_) << "the chunked body did not end within " << timeout_ms << " ms";
    return events;
  }

  int status = 0;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string error_body;                      // The body of a non-200 answer.
  bool ended() const { return ended_; }        // The final (zero) chunk arrived.
  bool eof() const { return eof_; }

 private:
  bool receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      return true;
    }
    raw_.append(buf, static_cast<size_t>(n));
    if (chunked_) decode();
    return true;
  }
  void read_head() {
    while (raw_.find("\r\n\r\n") == std::string::npos && !eof_)
      if (!receive(10000)) throw std::runtime_error("no response head within 10 s");
    auto end = raw_.find("\r\n\r\n");
    if (end == std::string::npos) throw std::runtime_error("connection closed before the head");
    std::string head = raw_.substr(0, end);
    raw_.erase(0, end + 4);
    status = std::stoi(head.substr(9, 3));
    for (size_t pos = head.find("\r\n"); pos != std::string::npos;) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? next : next - pos - 2);
      pos = next;
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    chunked_ = headers["transfer-encoding"] == "chunked";
    if (chunked_) {
      decode();
      return;
    }
    size_t length = headers.count("content-length") ? std::stoul(headers["content-length"]) : 0;
    while (raw_.size() < length && !eof_)
      if (!receive(10000)) break;
    error_body = raw_;
  }
  // Moves complete chunks from raw_ to body_.
  void decode() {
    while (!ended_) {
      auto eol = raw_.find("\r\n");
      if (eol == std::string::npos) return;
      size_t size = std::stoul(raw_.substr(0, eol), nullptr, 16);
      if (raw_.size() < eol + 2 + size + 2) return;
      ASSERT_EQ(raw_.substr(eol + 2 + size, 2), "\r\n") << "malformed chunk";
      body_ += raw_.substr(eol + 2, size);
      raw_.erase(0, eol + 2 + size + 2);
      if (size == 0) ended_ = true;
    }
  }

  int fd_ = -1;
  std::string raw_, body_;
  bool chunked_ = false, ended_ = false, eof_ = false;
};

class EventFeed : public ::testing::Test {
 protected:
  void SetUp() override {
    store = std::make_unique<core::Store>(db.url());
    // Running: started an hour ago, five hours long.
    setup_store().upsert_contest({"fc", "Feed Contest", "", core::now_ms() - kHour, 5 * kHour,
                                  std::nullopt, 20, "pass-fail"});
    add_problems("fc", {"A", "B"});
    for (const char* id : {"t1", "t2"}) {
      setup_store().upsert_team({id, id, id});
      setup_store().add_team_to_contest("fc", id);
    }
    account_store().upsert_user("admin", core::hash_password("apw"), core::Role::Admin,
                                std::nullopt);
    account_store().upsert_user("jury", core::hash_password("jpw"), core::Role::Jury, std::nullopt);
    account_store().upsert_user("team1", core::hash_password("pw1"), core::Role::Team, "t1");
    account_store().upsert_user("team2", core::hash_password("pw2"), core::Role::Team, "t2");
  }
  void TearDown() override {
    if (api) {
      EXPECT_EQ(api->stop(), 0) << "judge-api exits cleanly on SIGTERM";
    }
  }

  void add_problems(const std::string& cid, const std::vector<std::string>& ids) {
    for (size_t i = 0; i < ids.size(); ++i) {
      core::NewProblem p;
      p.problem = {cid, ids[i], ids[i], "Problem " + ids[i]};
      p.problem.ordinal = static_cast<int>(i) + 1;
      p.tests = {{"1\n", "1\n", true}, {"2\n", "2\n", false}};
      setup_store().replace_problem(p);
    }
  }

  void start_api(const std::vector<std::string>& flags = {}) {
    port = testenv::free_port();
    std::vector<std::string> argv = {JUDGE_API_PATH, "--listen",
                                     "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), flags.begin(), flags.end());
    std::vector<std::string> env = {
        "DATABASE_URL=" + db.url(),
        "REDIS_URL=" + testenv::redis_url() + "/" + std::to_string(kRedisDb),
        "JWT_SECRET=feed-secret", "JUDGE_LOG_LEVEL=warn"};
    // The sanitizer settings of scripts/test (tests/lsan.supp: libpqxx leaks on a lost
    // connection, which the outage test provokes).
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"})
      if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
    api = std::make_unique<testenv::Process>(argv, env);
    ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs)) << "judge-api did not come up";
  }
  std::string login(const std::string& user, const std::string& password) {
    return testenv::login(port, user, password);
  }
  std::unique_ptr<FeedClient> feed(const std::string& query, const std::string& token = "",
                                   const std::string& cid = "fc") {
    return std::make_unique<FeedClient>(port, "/api/contests/" + cid + "/event-feed" + query,
                                        token);
  }
  // The whole feed as `token` sees it now (?stream=false).
  std::vector<json> snapshot(const std::string& token, const std::string& since = "") {
    auto client = feed("?stream=false" + (since.empty() ? "" : "&since_token=" + since), token);
    EXPECT_EQ(client->status, 200) << client->error_body;
    return client->read_to_end();
  }

  // A submission of `team` for problem A, judged `verdict` with one run per test case.
  int64_t judged_submission(const std::string& team, const std::string& verdict) {
    auto s = submission_store().create_submission({"fc", team, "A", "c", "int main(){}"});
    judge(s.id, verdict);
    return s.id;
  }
  int64_t judge(int64_t submission_id, const std::string& verdict) {
    auto attempt = judging_store().claim(submission_id, "fc", "w1", 30);
    EXPECT_TRUE(attempt);
    core::Judgement j;
    j.submission_id = submission_id;
    j.verdict = domain::parse_verdict(verdict).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    for (const auto& t : problem_data().testcases("fc", "A"))
      j.runs.push_back({t.ordinal, t.id, domain::Verdict::AC, 3, 4, 1000});
    auto result = judging_store().record_judgement(
        j, {core::Fence::Kind::Worker, attempt ? attempt->attempt : 0});
    EXPECT_EQ(result.status, core::RecordStatus::Recorded);
    return result.judgement_id;
  }

  testenv::HttpResponse get(const std::string& path, const std::string& token = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return testenv::http(port, "GET", path, "", headers);
  }
  // The judge_api_event_feeds gauge from /metrics (-1 when absent).
  int open_feeds() {
    auto metrics = get("/metrics").body;
    auto at = metrics.find("\njudge_api_event_feeds ");
    if (at == std::string::npos) return -1;
    return std::stoi(metrics.substr(at + std::string("\njudge_api_event_feeds ").size()));
  }

  // The persistence parts over `store` (core/<part>.h).
  core::AccountStore account_store() { return core::AccountStore(*store); }
  core::JudgingStore judging_store() { return core::JudgingStore(*store); }
  core::ProblemData problem_data() { return core::ProblemData(*store); }
  core::SetupStore setup_store() { return core::SetupStore(*store); }
  core::SubmissionStore submission_store() { return core::SubmissionStore(*store); }

  testenv::FreshDatabase db;
  std::unique_ptr<core::Store> store;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
};

// The types in order with repeats collapsed: "judgement-types languages contest ...".
// Awards events are left out: the feed hub writes them about a second after a change, so where
// they fall among the others depends on timing (awards_test.cc checks them).
std::string type_runs(const std::vector<json>& events) {
  std::string out;
  std::string last;
  for (const auto& e : events) {
    if (e["type"] == last || e["type"] == "awards") continue;
    last = e["type"];
    out += (out.empty() ? "" : " ") + last;
  }
  return out;
}

std::vector<std::string> tokens(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["token"]);
  return out;
}

// A {code, message} error body with the given status.
void expect_error(const FeedClient& client, int status) {
  EXPECT_EQ(client.status, status) << client.error_body;
  auto body = json::parse(client.error_body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << client.error_body;
  EXPECT_EQ(body["code"], status);
  EXPECT_TRUE(body["message"].is_string());
}

TEST_F(EventFeed, StartsWithTheCatalogThenContestAndStateAndEndsWithStreamFalse) {
  start_api();
  auto client = feed("?stream=false", login("admin", "apw"));
  ASSERT_EQ(client->status, 200) << client->error_body;
  EXPECT_EQ(client->headers["content-type"], "application/x-ndjson");
  auto events = client->read_to_end();
  // Accounts (the admin's only) are global: their events went to every contest's feed.
  EXPECT_EQ(type_runs(events), "judgement-types languages contest state problems teams accounts");
  for (const auto& e : events) {
    ASSERT_TRUE(e.is_object());
    EXPECT_TRUE(e["type"].is_string());
    EXPECT_TRUE(e.contains("id"));
    EXPECT_TRUE(e["data"].is_object()) << e.dump();
    EXPECT_TRUE(e["token"].is_string());
    if (e["type"] == "contest" || e["type"] == "state") {
      EXPECT_TRUE(e["id"].is_null()) << e.dump();
    } else {
      EXPECT_EQ(e["id"], e["data"]["id"]) << e.dump();
    }
  }
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events[0]["id"], "AC");
  auto contest = std::find_if(events.begin(), events.end(),
                              [](const json& e) { return e["type"] == "contest"; });
  ASSERT_NE(contest, events.end());
  EXPECT_EQ((*contest)["data"]["id"], "fc");
  EXPECT_EQ((*contest)["data"], json::parse(get("/api/contests/fc").body))
      << "the feed and GET agree";
  EXPECT_TRUE(client->ended());
  EXPECT_FALSE(client->next_line(100)) << "nothing after the end";
}

TEST_F(EventFeed, LiveSubmissionsAndJudgementsReachTheJuryAndTheirTeamOnly) {
  start_api();
  const std::string jury = login("jury", "jpw"), team1 = login("team1", "pw1"),
                    team2 = login("team2", "pw2");
  const std::string last = snapshot(jury).back()["token"];
  auto jury_feed = feed("?since_token=" + last, jury);
  auto team1_feed = feed("", team1);
  auto team2_feed = feed("", team2);
  for (auto* f : {jury_feed.get(), team1_feed.get(), team2_feed.get()})
    ASSERT_EQ(f->status, 200) << f->error_body;

  const auto submitted = Clock::now();
  auto posted = testenv::http(
      port, "POST", "/api/contests/fc/submissions",
      json{{"problem_id", "A"}, {"language_id", "c"}, {"source", "int main(){}"}}.dump(),
      {{"Authorization", "Bearer " + team1}, {"Content-Type", "application/json"}});
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string sid = json::parse(posted.body)["id"];
  auto seen = jury_feed->wait_for("submissions", sid, kLiveMs);
  ASSERT_TRUE(seen) << "the jury's feed did not get submission " << sid;
  EXPECT_LE(ms_since(submitted), kLiveMs);
  EXPECT_EQ((*seen)["data"]["team_id"], "t1");
  EXPECT_TRUE(team1_feed->wait_for("submissions", sid, kLiveMs)) << "team1's own submission";

  const auto judged = Clock::now();
  const std::string jid = std::to_string(judge(std::stoll(sid), "WA"));
  auto judgement = jury_feed->wait_for("judgements", jid, kLiveMs);
  ASSERT_TRUE(judgement) << "the verdict did not reach the feed";
  EXPECT_LE(ms_since(judged), kLiveMs);
  EXPECT_EQ((*judgement)["data"]["judgement_type_id"], "WA");
  EXPECT_EQ((*judgement)["data"]["submission_id"], sid);
  std::vector<json> team1_saw;
  EXPECT_TRUE(team1_feed->wait_for("judgements", jid, kLiveMs, &team1_saw));
  auto run = team1_feed->wait_for("runs", "", kLiveMs);
  ASSERT_TRUE(run) << "team1 sees the runs of its judgement";
  EXPECT_EQ((*run)["data"]["judgement_id"], jid);

  // team2 submits after all of that: its feed passes team1's events (in id order) before its
  // own, so everything it shows up to its own submission proves team1's were left out.
  auto own = submission_store().create_submission({"fc", "t2", "B", "c", "int main(){}"});
  std::vector<json> team2_saw;
  ASSERT_TRUE(team2_feed->wait_for("submissions", std::to_string(own.id), kLiveMs, &team2_saw));
  for (const auto& e : team2_saw) {
    EXPECT_NE(e["type"], "judgements") << e.dump();
    EXPECT_NE(e["type"], "runs") << e.dump();
    if (e["type"] == "submissions") {
      EXPECT_EQ(e["data"]["team_id"], "t2") << e.dump();
    }
  }
}

TEST_F(EventFeed, ATeamsFeedHoldsItsOwnSubmissionsAndNoOtherTeams) {
  const int64_t mine = judged_submission("t1", "AC");
  const int64_t theirs = judged_submission("t2", "WA");
  submission_store().create_submission({"fc", "t2", "B", "c", "int main(){}"});  // Still queued.
  start_api();
  // The last event of each object (a submission's judging_state changes are events too).
  auto of_type = [](const std::vector<json>& events, const std::string& type) {
    std::vector<json> out;
    for (const auto& e : events) {
      if (e["type"] != type) continue;
      std::erase_if(out, [&](const json& seen) { return seen["id"] == e["id"]; });
      out.push_back(e);
    }
    return out;
  };

  auto by_jury = snapshot(login("jury", "jpw"));
  EXPECT_EQ(of_type(by_jury, "submissions").size(), 3u);
  EXPECT_EQ(of_type(by_jury, "judgements").size(), 2u);
  EXPECT_EQ(of_type(by_jury, "runs").size(), 4u);

  auto by_team = snapshot(login("team1", "pw1"));
  auto submissions = of_type(by_team, "submissions");
  ASSERT_EQ(submissions.size(), 1u);
  EXPECT_EQ(submissions[0]["id"], std::to_string(mine));
  EXPECT_EQ(submissions[0]["data"]["judging_state"], "judged");
  auto judgements = of_type(by_team, "judgements");
  ASSERT_EQ(judgements.size(), 1u);
  EXPECT_EQ(judgements[0]["data"]["submission_id"], std::to_string(mine));
  for (const auto& run : of_type(by_team, "runs"))
    EXPECT_EQ(run["data"]["judgement_id"], judgements[0]["id"]);
  EXPECT_EQ(of_type(by_team, "runs").size(), 2u);
  for (const auto& e : by_team)
    EXPECT_EQ(e.dump().find("\"submission_id\":\"" + std::to_string(theirs) + "\""),
              std::string::npos)
        << e.dump();
  EXPECT_FALSE(of_type(by_team, "problems").empty());

  auto anonymous = snapshot("");
  for (const char* hidden : {"submissions", "judgements", "runs", "accounts"})
    EXPECT_TRUE(of_type(anonymous, hidden).empty()) << hidden;
  EXPECT_EQ(type_runs(anonymous), "judgement-types languages contest state problems teams");
}

TEST_F(EventFeed, BadRequestsGetJsonErrors) {
  setup_store().upsert_contest(
      {"later", "Later", "", core::now_ms() + kHour, kHour, std::nullopt, 20, "pass-fail"});
  setup_store().upsert_contest(
      {"other", "Other", "", core::now_ms() - kHour, 2 * kHour, std::nullopt, 20, "pass-fail"});
  start_api();
  const std::string jury = login("jury", "jpw");
  expect_error(*feed("", "", "later"), 403);  // Anonymous before the start, like other data.
  EXPECT_EQ(feed("?stream=false", jury, "later")->status, 200) << "the jury may";
  EXPECT_EQ(feed("?stream=false", login("team1", "pw1"), "later")->status, 200);
  expect_error(*feed("", jury, "nope"), 404);
  for (const char* token :
       {"", "0", "-1", "abc", "1e3", "%201", "99999999999", "123456789012345678901",
        "0123456789abcdef", "0123456789ABCDEF", "0123456789abcdeg"})
    expect_error(*feed(std::string("?since_token=") + token, jury), 400);
  const std::string real = snapshot(jury).back()["token"];
  expect_error(*feed("?since_token=" + real.substr(1), jury), 400);
  expect_error(*feed("?since_token=" + real + "0", jury), 400);
  const std::string foreign = snapshot(jury).front()["token"];
  auto other = feed("?stream=false&since_token=" + foreign, jury, "other");
  expect_error(*other, 400);  // A token of another contest's feed.
  expect_error(*feed("?stream=maybe", jury), 400);
  expect_error(*feed("", "not-a-jwt"), 401);
  EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(EventFeed, ProblemsWaitForTheStartAndThenArriveInOrder) {
  start_api();
  const std::string team1 = login("team1", "pw1");
  // Created while the API runs (its hub re-reads contests every second), so that the start
  // cannot pass while the API is still coming up.
  const int64_t start = core::now_ms() + 3000;
  setup_store().upsert_contest({"soon", "Soon", "", start, kHour, std::nullopt, 20, "pass-fail"});
  add_problems("soon", {"P1", "P2", "P3"});
  setup_store().add_team_to_contest("soon", "t1");
  auto client = feed("", team1, "soon");
  ASSERT_EQ(client->status, 200) << client->error_body;
  std::vector<json> before;
  while (core::now_ms() < start - 300) {
    auto event = client->next_event(static_cast<int>(start - 300 - core::now_ms()));
    if (event) before.push_back(*event);
  }
  EXPECT_EQ(type_runs(before), "judgement-types languages contest state")
      << "problems (and what follows them) wait for the start";
  auto first = client->wait_for("problems", "", 4000);
  ASSERT_TRUE(first) << "problems did not come after the start";
  EXPECT_GE(core::now_ms(), start);
  EXPECT_LE(core::now_ms(), start + 3000) << "they come within a few seconds of the start";
  EXPECT_EQ((*first)["id"], "P1");
  std::vector<json> after;
  ASSERT_TRUE(client->wait_for("state", "", kLiveMs + 1000, &after)) << "the start's state";
  EXPECT_EQ(type_runs(after), "problems teams state");
  ASSERT_GE(after.size(), 2u);
  EXPECT_EQ(after[0]["id"], "P2");
  EXPECT_EQ(after[1]["id"], "P3");
  EXPECT_EQ(after.back()["data"]["started"], core::format_time(start));
  // Tokens are opaque (not ordered): the order shows as a resume from the first problem's
  // token giving exactly what followed it.
  std::vector<std::string> seen = tokens(before);
  seen.push_back((*first)["token"]);
  for (const auto& t : tokens(after)) seen.push_back(t);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << "unique";
  auto resumed =
      feed("?stream=false&since_token=" + (*first)["token"].get<std::string>(), team1, "soon");
  ASSERT_EQ(resumed->status, 200) << resumed->error_body;
  auto rest = resumed->read_to_end();
  ASSERT_GE(rest.size(), after.size());
  EXPECT_EQ(std::vector<json>(rest.begin(), rest.begin() + static_cast<long>(after.size())), after);
}

TEST_F(EventFeed, SinceTokenResumesExactlyAfterThatToken) {
  judged_submission("t1", "AC");
  judged_submission("t2", "WA");
  start_api();
  for (const auto& token : {login("jury", "jpw"), login("team1", "pw1")}) {
    auto full = snapshot(token);
    ASSERT_GT(full.size(), 10u);
    for (size_t k : {size_t{0}, full.size() / 2, full.size() - 2, full.size() - 1}) {
      auto rest = snapshot(token, full[k]["token"].get<std::string>());
      std::vector<json> expected(full.begin() + static_cast<long>(k) + 1, full.end());
      EXPECT_EQ(rest, expected) << "after token " << full[k]["token"];
    }
  }
  // A live feed resumed from a token gets what follows it, then new events.
  const std::string jury = login("jury", "jpw");
  auto full = snapshot(jury);
  auto resumed = feed("?since_token=" + full[full.size() - 3]["token"].get<std::string>(), jury);
  auto one = resumed->next_event(kLiveMs), two = resumed->next_event(kLiveMs);
  ASSERT_TRUE(one && two);
  EXPECT_EQ(*one, full[full.size() - 2]);
  EXPECT_EQ(*two, full[full.size() - 1]);
  auto s = submission_store().create_submission({"fc", "t1", "B", "c", "int main(){}"});
  auto next = resumed->next_event(kLiveMs);
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)["id"], std::to_string(s.id));
}

// Issue 16, item 5: anyone could count another team's hidden events (a frozen AC on 2 tests
// added 4): the public X-Event-Token named the newest event of all, and since_token answered
// 200 for a hidden event's token but 400 for one that does not exist. Now the header names the
// newest event of the caller's own feed, tokens are not event ids (whose gaps would count the
// hidden ones) and a hidden event's token is refused exactly like a made-up one.
TEST_F(EventFeed, HiddenEventsCannotBeCountedThroughTokens) {
  start_api();
  const std::string jury = login("jury", "jpw"), team1 = login("team1", "pw1"),
                    team2 = login("team2", "pw2");
  auto state_token = [&](const std::string& who) {
    auto r = get("/api/contests/fc/state", who);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.headers["x-event-token"];
  };
  const std::string anonymous_before = state_token(""), team2_before = state_token(team2);
  ASSERT_FALSE(anonymous_before.empty());
  const size_t jury_before = snapshot(jury).size();
  // Submission (queued, judging, judged), judgement, 2 runs: team1's and the jury's.
  judged_submission("t1", "AC");
  auto by_jury = snapshot(jury);
  ASSERT_EQ(by_jury.size(), jury_before + 6);

  EXPECT_EQ(state_token(""), anonymous_before) << "the public header moved with hidden events";
  EXPECT_EQ(state_token(team2), team2_before) << "team2's header moved with team1's events";
  for (const std::string& who : {std::string(), team2, team1, jury})
    EXPECT_EQ(state_token(who), snapshot(who).back()["token"])
        << "the header names the newest event of the caller's own feed";

  const std::string hidden = by_jury.back()["token"];  // team1's submission, judged.
  for (const std::string& who : {std::string(), team2}) {
    auto refused = feed("?stream=false&since_token=" + hidden, who);
    auto made_up = feed("?stream=false&since_token=0123456789abcdef", who);
    expect_error(*refused, 400);
    EXPECT_EQ(refused->error_body, made_up->error_body) << "a hidden event's token stands out";
  }
  EXPECT_EQ(feed("?stream=false&since_token=" + hidden, team1)->status, 200) << "its own team";

  const std::string ids = "," + db.scalar("SELECT string_agg(id::text, ',') FROM events") + ",";
  for (const auto& e : by_jury) {
    const std::string token = e["token"];
    EXPECT_EQ(ids.find("," + token + ","), std::string::npos) << "token " << token << " is an id";
    EXPECT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{16}"))) << token;
  }
}

// Before the start a non-jury feed waits at the first problems event: GET state must not name
// a token past it, or a feed resumed from there would skip the problems once they are shown.
TEST_F(EventFeed, BeforeTheStartTheHeaderStopsWhereTheFeedWaits) {
  setup_store().upsert_contest(
      {"later", "Later", "", core::now_ms() + kHour, kHour, std::nullopt, 20, "pass-fail"});
  add_problems("later", {"P1"});
  setup_store().add_team_to_contest("later", "t1");
  start_api();
  const std::string team1 = login("team1", "pw1");
  auto state = get("/api/contests/later/state", team1);
  ASSERT_EQ(state.status, 200) << state.body;
  auto before = feed("?stream=false", team1, "later");
  ASSERT_EQ(before->status, 200);
  auto events = before->read_to_end();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["type"], "state");
  EXPECT_EQ(state.headers["x-event-token"], events.back()["token"]);
}

// Issue 16, item 7: a team sees only the current judgement of its submissions (as GET does);
// the event that marks its judgement replaced (an update with current: false) reaches the team
// as a deletion, so the team's feed ends where GET judgements is. The jury's keeps the update.
TEST_F(EventFeed, AReplacedJudgementIsADeletionInItsTeamsFeed) {
  auto s = submission_store().create_submission({"fc", "t1", "A", "c", "int main(){}"});
  const std::string old_id = std::to_string(judge(s.id, "WA"));
  start_api();
  const std::string jury = login("jury", "jpw"), team1 = login("team1", "pw1");
  auto live = feed("", team1);
  ASSERT_TRUE(live->wait_for("judgements", old_id, kLiveMs));
  auto put = testenv::http(
      port, "PUT", "/api/contests/fc/judgements/" + old_id, R"({"judgement_type_id":"AC"})",
      {{"Authorization", "Bearer " + jury}, {"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string new_id = json::parse(put.body)["id"];
  std::vector<json> seen;
  ASSERT_TRUE(live->wait_for("judgements", new_id, kLiveMs, &seen));
  auto deletion = std::find_if(seen.begin(), seen.end(), [&](const json& e) {
    return e["type"] == "judgements" && e["id"] == old_id;
  });
  ASSERT_NE(deletion, seen.end());
  EXPECT_TRUE((*deletion)["data"].is_null()) << "the team got " << deletion->dump();
  // Its runs leave the team's view with it, before the new judgement comes.
  int run_deletions = 0;
  for (auto e = deletion; e != seen.end(); ++e) {
    if ((*e)["type"] != "runs") continue;
    EXPECT_TRUE((*e)["data"].is_null()) << e->dump();
    ++run_deletions;
  }
  EXPECT_EQ(run_deletions, 2) << "one per test case";

  // Applying the team's whole feed leaves exactly the judgements GET lists for it.
  std::set<std::string> applied;
  for (const auto& e : snapshot(team1)) {
    if (e["type"] != "judgements") continue;
    if (e["data"].is_null())
      applied.erase(e["id"].get<std::string>());
    else
      applied.insert(e["id"].get<std::string>());
  }
  std::set<std::string> listed;
  for (const auto& j : json::parse(get("/api/contests/fc/judgements", team1).body))
    listed.insert(j["id"].get<std::string>());
  EXPECT_EQ(applied, listed);
  EXPECT_EQ(listed, std::set<std::string>{new_id});

  std::optional<json> replaced;
  for (const auto& e : snapshot(jury))
    if (e["type"] == "judgements" && e["id"] == old_id) replaced = e;
  ASSERT_TRUE(replaced);
  EXPECT_EQ((*replaced)["data"]["current"], false) << "the jury's feed keeps the update";
}

TEST_F(EventFeed, AnIdleFeedGetsKeepAliveNewlines) {
  start_api({"--feed-keepalive", "1"});
  const std::string jury = login("jury", "jpw");
  auto client = feed("?since_token=" + snapshot(jury).back()["token"].get<std::string>(), jury);
  ASSERT_EQ(client->status, 200);
  for (int i = 0; i < 2; ++i) {
    const auto waiting = Clock::now();
    auto line = client->next_line(2500);
    ASSERT_TRUE(line) << "no keep-alive within 2.5 s";
    EXPECT_EQ(*line, "") << "a bare newline";
    EXPECT_LE(ms_since(waiting), 2200);
  }
}

TEST_F(EventFeed, KeepAlivesGoOnWhilePostgresIsDownAndTheFeedResumesAfter) {
  start_api({"--feed-keepalive", "1"});
  const std::string jury = login("jury", "jpw");
  auto client = feed("?since_token=" + snapshot(jury).back()["token"].get<std::string>(), jury);
  ASSERT_EQ(client->status, 200);
  // An outage of this test's database only: no new connections, the open ones cut.
  const std::string name = db.url().substr(db.url().rfind('/') + 1);
  auto on_server = [](const std::string& sql) {
    pqxx::connection c(testenv::database_url());
    pqxx::nontransaction(c).exec(sql);
  };
  on_server("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  on_server("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name +
            "'");
  int newlines = 0;
  const auto outage = Clock::now();
  while (ms_since(outage) < 3500) {
    auto line = client->next_line(static_cast<int>(std::max<int64_t>(0, 3500 - ms_since(outage))));
    if (!line) break;
    EXPECT_EQ(*line, "");
    ++newlines;
  }
  EXPECT_GE(newlines, 2) << "idle feeds get their newline without Postgres too";
  on_server("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  core::Store fresh(db.url());
  auto s = core::SubmissionStore(fresh).create_submission({"fc", "t1", "A", "c", "int main(){}"});
  EXPECT_TRUE(client->wait_for("submissions", std::to_string(s.id), 5000))
      << "the feed resumes once Postgres is back";
}

TEST_F(EventFeed, ClosedClientsAreDroppedAndTheLimitHolds) {
  start_api({"--max-event-feeds", "2"});
  const std::string jury = login("jury", "jpw");
  auto first = feed("", jury), second = feed("", jury);
  ASSERT_EQ(first->status, 200);
  ASSERT_EQ(second->status, 200);
  EXPECT_TRUE(testenv::eventually([&] { return open_feeds() == 2; }, 3000)) << open_feeds();
  auto third = feed("", jury);
  expect_error(*third, 503);
  EXPECT_TRUE(third->eof() || !third->next_line(1000)) << "the refused one gets no feed";

  first->close();
  EXPECT_TRUE(testenv::eventually([&] { return open_feeds() == 1; }, 3000))
      << "a client that hung up is dropped; gauge: " << open_feeds();
  EXPECT_EQ(get("/api/contests/fc", jury).status, 200) << "the API keeps serving";
  // Its place is free again.
  std::unique_ptr<FeedClient> again;
  EXPECT_TRUE(testenv::eventually(
      [&] {
        again = feed("?stream=false", jury);
        return again->status == 200;
      },
      3000));
  EXPECT_FALSE(again->read_to_end().empty());
  second->close();
  EXPECT_TRUE(testenv::eventually([&] { return open_feeds() == 0; }, 3000)) << open_feeds();
}

TEST_F(EventFeed, SigtermEndsOpenFeedsCleanly) {
  start_api();
  auto client = feed("", login("jury", "jpw"));
  ASSERT_EQ(client->status, 200);
  ASSERT_TRUE(client->wait_for("teams", "t2", kLiveMs)) << "the feed is under way";
  EXPECT_TRUE(testenv::eventually([&] { return open_feeds() == 1; }, 3000));
  EXPECT_EQ(api->stop(), 0) << "exit status 0 with a feed open";
  while (client->next_line(2000)) {
  }
  EXPECT_TRUE(client->ended()) << "the client sees the end of the chunked body, not a cut";
}

}  // namespace
