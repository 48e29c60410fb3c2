// Password guessing over HTTP (issue 16, item 4), judge-api alone on the real Postgres and
// Redis: the attacker's probe repeated wrong passwords without limit, each costing ~86 ms of
// argon2 on a request thread. Failed logins (POST /api/auth/login and HTTP Basic) are throttled
// per account and per client address, across API processes, also without Redis; while password
// checks are in flight, further ones are refused at once and cheap requests are still served.
// Clients come from different addresses of 127.0.0.0/8 (the API counts by the peer's address);
// each process uses addresses and user names of its own, so runs sharing Redis db 13 never meet.
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/setup_store.h"
#include "core/timefmt.h"
#include "test_env.h"
#include "zip_builder.h"

namespace {

using json = nlohmann::json;
using Headers = std::map<std::string, std::string>;

constexpr int kRedisDb = 13;  // This test's own db: the failed-login windows live here.
constexpr int kAccountLimit = 4;
constexpr int kAddressLimit = 3;  // Below the account's: one address cannot lock an account.
constexpr int kWindowSeconds = 6;
constexpr int kStartupMs = 30000;
constexpr int kDeadlineMs = 30000;
constexpr int64_t kHour = 3'600'000;
constexpr const char* kPassword = "right-pw";
// How long one check of the slow account's password takes (its hash's own argon2 cost).
constexpr std::chrono::milliseconds kSlowCheck{2500};

json body_of(const testenv::HttpResponse& r) { return json::parse(r.body, nullptr, false); }

int retry_after(const testenv::HttpResponse& r) {
  auto it = r.headers.find("retry-after");
  return it == r.headers.end() ? 0 : std::stoi(it->second);
}

std::string basic(const std::string& username, const std::string& password) {
  return "Basic " + testenv::base64_encode(username + ":" + password);
}

// An argon2id hash whose check takes about `target` (verifying costs what hashing cost): the
// slow logins that keep password checks in flight without a sleep anywhere.
std::string slow_hash(const std::string& password, std::chrono::milliseconds target) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  auto hash = [&](unsigned long long ops) {
    const auto start = std::chrono::steady_clock::now();
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
      throw std::runtime_error("argon2 ran out of memory");
    return std::chrono::steady_clock::now() - start;
  };
  constexpr unsigned long long kProbeOps = 4;
  const double probe_ms = std::chrono::duration<double, std::milli>(hash(kProbeOps)).count();
  hash(std::max(kProbeOps, static_cast<unsigned long long>(kProbeOps * target.count() /
                                                           std::max(1.0, probe_ms))));
  return out;
}

class LoginThrottle : public ::testing::Test {
 protected:
  void SetUp() override {
    tag = std::to_string(getpid());
    core::Store store(db.url());
    core::SetupStore setup(store);
    setup.upsert_contest(
        {cid, cid, cid, core::now_ms() - 60'000, kHour, std::nullopt, 20, "pass-fail"});
    setup.upsert_team({"t1", "t1", "t1"});
    setup.add_team_to_contest(cid, "t1");
    for (const char* name : {"alice", "bob", "carol"}) {
      core::AccountStore(store).upsert_user(user(name), core::hash_password(kPassword),
                                            core::Role::Team, "t1");
    }
  }
  void TearDown() override {
    for (auto& api : apis) EXPECT_EQ(api->stop(), 0) << "api exits cleanly on SIGTERM";
  }

  // A user name of this process (the windows are keyed by name, in a db shared by runs).
  std::string user(const std::string& name) const { return name + "-" + tag; }
  // Client address number n of this test: 127.<pid>.<test>.<n>.
  std::string from(int n) const {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    const size_t test = std::hash<std::string>{}(name) % 250;
    return "127." + std::to_string(1 + getpid() % 250) + "." + std::to_string(test) + "." +
           std::to_string(n);
  }

  // Starts one more judge-api on the test database; returns its port.
  int start_api(const std::string& redis_url, const std::vector<std::string>& extra_env = {}) {
    int api_port = testenv::free_port();
    std::vector<std::string> env = {
        "DATABASE_URL=" + db.url(),
        "REDIS_URL=" + redis_url,
        "JWT_SECRET=login-secret",
        "JUDGE_LOG_LEVEL=warn",
        "JUDGE_LOGIN_FAIL_LIMIT_ACCOUNT=" + std::to_string(kAccountLimit),
        "JUDGE_LOGIN_FAIL_LIMIT_ADDRESS=" + std::to_string(kAddressLimit),
        "JUDGE_LOGIN_FAIL_WINDOW=" + std::to_string(kWindowSeconds)};
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    apis.push_back(std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen",
                                 "127.0.0.1:" + std::to_string(api_port)},
        env));
    EXPECT_TRUE(testenv::wait_until_serving(api_port, kStartupMs)) << "judge-api did not come up";
    return api_port;
  }
  int start_api() { return start_api(testenv::redis_url() + "/" + std::to_string(kRedisDb)); }

  testenv::HttpResponse login(int port, const std::string& address, const std::string& username,
                              const std::string& password) {
    return testenv::http_from(address, port, "POST", "/api/auth/login",
                              json{{"username", username}, {"password", password}}.dump(),
                              {{"Content-Type", "application/json"}});
  }
  testenv::HttpResponse get_basic(int port, const std::string& address,
                                  const std::string& authorization) {
    return testenv::http_from(address, port, "GET", "/api/contests/" + cid, "",
                              {{"Authorization", authorization}});
  }

  // A 429 for a failed-login limit: Retry-After within the window, the message naming it.
  void expect_throttled(const testenv::HttpResponse& r, const std::string& which) {
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_GE(retry_after(r), 1);
    EXPECT_LE(retry_after(r), kWindowSeconds);
    EXPECT_EQ(body_of(r)["code"], 429) << r.body;
    const std::string message = body_of(r).value("message", "");
    EXPECT_NE(message.find("too many failed logins " + which), std::string::npos) << message;
    EXPECT_NE(message.find("retry in " + std::to_string(retry_after(r)) + " s"), std::string::npos)
        << message;
  }

  // The value of one metric line (name with labels), or -1 when /metrics does not show it.
  double metric(int port, const std::string& line) {
    auto text = testenv::http(port, "GET", "/metrics").body;
    auto at = text.find("\n" + line + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + line.size() + 2));
  }

  testenv::FreshDatabase db;
  std::string cid = "login";
  std::string tag;
  std::vector<std::unique_ptr<testenv::Process>> apis;
};

// The probe: wrong passwords for one account, from ever new addresses and through two API
// processes, until the account's limit; then its right password is refused as well (or the answer
// would tell the guesser which guess was right), and works again once the window has passed.
TEST_F(LoginThrottle, GuessingOneAccountIsRefusedWithRetryAfterAcrossApiProcesses) {
  const int ports[] = {start_api(), start_api()};
  const std::string alice = user("alice");
  for (int i = 0; i < kAccountLimit; ++i) {
    auto r = login(ports[i % 2], from(i), alice, "guess-" + std::to_string(i));
    EXPECT_EQ(r.status, 401) << "guess " << i << ": " << r.body;
  }
  for (int port : ports)
    expect_throttled(login(port, from(10), alice, "guess-x"), "for this account");
  expect_throttled(login(ports[0], from(11), alice, kPassword), "for this account");
  EXPECT_EQ(metric(ports[0], R"(judge_api_logins_throttled_total{reason="account"})"), 2);
  // Nothing tells an unknown name from a known one: the same answers, in the same order.
  const std::string nobody = user("nobody");
  for (int i = 0; i < kAccountLimit; ++i) {
    auto r = login(ports[i % 2], from(20 + i), nobody, "guess");
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(body_of(r), json({{"code", 401}, {"message", "invalid username or password"}}));
  }
  expect_throttled(login(ports[1], from(30), nobody, "guess"), "for this account");
  EXPECT_TRUE(
      testenv::eventually([&] { return login(ports[1], from(31), alice, kPassword).status == 200; },
                          (kWindowSeconds + 5) * 1000))
      << "the window slides: the right password works again";
}

// One address guessing at several accounts is refused after its own limit, for any account; the
// same accounts still log in from elsewhere, and the address's guesses did not lock them.
TEST_F(LoginThrottle, OneAddressIsRefusedAcrossAccountsButOthersAreNot) {
  const int port = start_api();
  const std::string guesser = from(1);
  const std::string accounts[] = {user("alice"), user("carol"), user("x1"), user("x2")};
  for (int i = 0; i < kAddressLimit; ++i) {
    EXPECT_EQ(login(port, guesser, accounts[i], "guess").status, 401) << i;
  }
  expect_throttled(login(port, guesser, accounts[3], "guess"), "from this address");
  expect_throttled(login(port, guesser, user("bob"), kPassword), "from this address");
  EXPECT_EQ(login(port, from(2), user("bob"), kPassword).status, 200) << "another address";
  EXPECT_EQ(login(port, from(3), user("alice"), kPassword).status, 200)
      << "one address's guesses (" << kAddressLimit << ") stay below the account's limit ("
      << kAccountLimit << ")";
  EXPECT_EQ(metric(port, R"(judge_api_logins_throttled_total{reason="address"})"), 2);
}

// HTTP Basic credentials are password guesses too, counted with the logins of the same address;
// a good credential already in the cache costs no check and is never refused.
TEST_F(LoginThrottle, BasicCredentialsAreThrottledButACachedGoodOneIsNot) {
  const int port = start_api();
  const std::string address = from(1);
  const std::string good = basic(user("bob"), kPassword);
  ASSERT_EQ(get_basic(port, address, good).status, 200);  // Now in the cache.
  for (int i = 0; i < kAddressLimit; ++i) {
    auto r = get_basic(port, address, basic(user("bob"), "guess-" + std::to_string(i)));
    EXPECT_EQ(r.status, 401) << r.body;
    EXPECT_NE(r.headers["www-authenticate"].find("Basic"), std::string::npos);
  }
  expect_throttled(get_basic(port, address, basic(user("bob"), "guess-x")), "from this address");
  EXPECT_EQ(get_basic(port, address, good).status, 200) << "cached: never throttled";
  expect_throttled(get_basic(port, address, basic(user("carol"), kPassword)), "from this address");
  expect_throttled(login(port, address, user("carol"), kPassword), "from this address");
  EXPECT_EQ(get_basic(port, from(2), basic(user("carol"), kPassword)).status, 200);
}

// Redis down: the limits still hold, counted by the process alone (logged and counted).
TEST_F(LoginThrottle, WithoutRedisEachProcessCountsAlone) {
  // Nothing listens on a fresh free port: every Redis call fails at once.
  const int port = start_api("redis://127.0.0.1:" + std::to_string(testenv::free_port()));
  for (int i = 0; i < kAddressLimit; ++i) {
    EXPECT_EQ(login(port, from(1), user("alice"), "guess").status, 401) << i;
  }
  expect_throttled(login(port, from(1), user("alice"), "guess"), "from this address");
  EXPECT_EQ(login(port, from(2), user("alice"), kPassword).status, 200);
  EXPECT_GE(metric(port, "judge_api_login_throttle_unavailable_total"), kAddressLimit + 2);
}

// Password checks have threads of their own (here 1, and 1 more may wait): while two slow checks
// are in hand, another login or uncached Basic request is refused at once (429, Retry-After: 1),
// and requests without a password are served meanwhile: no request thread waits for a hash.
TEST_F(LoginThrottle, PasswordChecksNeverTakeTheRequestThreads) {
  core::Store seed(db.url());
  core::AccountStore(seed).upsert_user(user("slow"), slow_hash(kPassword, kSlowCheck),
                                       core::Role::Team, "t1");
  const int port = start_api(testenv::redis_url() + "/" + std::to_string(kRedisDb),
                             {"JUDGE_PASSWORD_CHECK_THREADS=1", "JUDGE_PASSWORD_CHECK_QUEUE=1"});
  const std::string token = testenv::login(port, user("bob"), kPassword);
  auto slow = [&](int n) {
    return std::async(std::launch::async,
                      [this, port, n] { return login(port, from(n), user("slow"), kPassword); });
  };
  auto first = slow(1), second = slow(2);
  const std::string running = R"(judge_api_password_checks_in_progress{state="running"})";
  const std::string waiting = R"(judge_api_password_checks_in_progress{state="waiting"})";
  ASSERT_TRUE(testenv::eventually(
      [&] { return metric(port, running) == 1 && metric(port, waiting) == 1; }, kDeadlineMs))
      << "two slow checks in hand: one running, one waiting";
  auto busy = login(port, from(3), user("bob"), kPassword);
  EXPECT_EQ(busy.status, 429) << busy.body;
  EXPECT_EQ(retry_after(busy), 1);
  EXPECT_NE(body_of(busy).value("message", "").find("busy"), std::string::npos) << busy.body;
  EXPECT_EQ(get_basic(port, from(4), basic(user("carol"), kPassword)).status, 429);
  EXPECT_EQ(testenv::http(port, "GET", "/api/contests/" + cid).status, 200);
  EXPECT_EQ(testenv::http(port, "GET", "/api/contests/" + cid + "/account", "",
                          {{"Authorization", "Bearer " + token}})
                .status,
            200);
  EXPECT_EQ(metric(port, running), 1) << "served while a check was running";
  EXPECT_EQ(metric(port, R"(judge_api_logins_throttled_total{reason="busy"})"), 2);
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  EXPECT_EQ(login(port, from(3), user("bob"), kPassword).status, 200) << "free again";
  EXPECT_EQ(metric(port, R"(judge_api_password_checks_total{result="right"})"), 4);
}

}  // namespace
