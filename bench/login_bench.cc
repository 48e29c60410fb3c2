// login_bench: what password guessing does to everybody else's requests (issue 16, item 4).
//
// Creates a database on the given Postgres server, migrates it with `judgectl migrate`, adds one
// running contest and one team account, and starts one release judge-api (its default 2 request
// threads). Then it times GET /api/contests/{cid} (anonymous, back to back, round robin over
// --connections kept-alive connections, client-side wall time per complete response) for
// --seconds each:
//   1. quiet: nobody logs in;
//   2. while --guessers clients POST /api/auth/login with wrong passwords for the team's account,
//      back to back, each over its own kept-alive connection (all from 127.0.0.1).
// Both with the failed-login limits as configured by default (after 10 failures the address gets
// 429s that cost no password check) and with them off (JUDGE_LOGIN_FAIL_LIMIT_ACCOUNT and
// _ADDRESS = 0: every guess is an argon2 check, the worst case the check threads bound). The
// limits go to judge-api through the environment, so that --api can name a judge-api built before
// they existed (it ignores those variables: both of its runs check every guess). Reports the
// GET medians and p99 and what the guessers were answered. Drops its database at the end.
//
//   login_bench [--database-url URL] [--redis-url URL] [--seconds S] [--connections N]
//               [--guessers N] [--api PATH (another judge-api binary, e.g. of an older commit)]
//               [--keep-database] [--smoke (1 s phases for ctest)]
// The server comes from --database-url, else DATABASE_URL, else TEST_DATABASE_URL (ctest, with
// TEST_REDIS_URL + "/3").
#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_db.h"
#include "bench_util.h"
#include "core/account_store.h"
#include "core/auth.h"
#include "core/setup_store.h"
#include "core/timefmt.h"

namespace {

using json = nlohmann::json;
using bench::Clock;
using bench::ms_since;

constexpr int64_t kHour = 3'600'000;
constexpr int kServeTimeoutMs = 30'000;
constexpr double kWarmupSeconds = 1;
constexpr const char* kContest = "bench";
constexpr const char* kUser = "team1";
const std::string kGetPath = std::string("/api/contests/") + kContest;

struct Config {
  std::string database_url, redis_url;
  double seconds = 10;
  int connections = 4, guessers = 2;
  bool keep_database = false, smoke = false;
  std::string api = JUDGE_API_PATH, judgectl = JUDGECTL_PATH, migrations = JUDGE_MIGRATIONS_DIR;
};

Config parse(int argc, char** argv) {
  Config c;
  for (bench::Args args(argc, argv, "login_bench.cc"); args.next();) {
    if (args.is("--database-url"))
      c.database_url = args.value();
    else if (args.is("--redis-url"))
      c.redis_url = args.value();
    else if (args.is("--seconds"))
      c.seconds = args.number();
    else if (args.is("--connections"))
      c.connections = args.number();
    else if (args.is("--guessers"))
      c.guessers = args.number();
    else if (args.is("--api"))
      c.api = args.value();
    else if (args.is("--keep-database"))
      c.keep_database = true;
    else if (args.is("--smoke"))
      c.smoke = true;
    else
      args.unknown();
  }
  if (c.smoke) c.seconds = 1;
  c.database_url = bench::postgres_url(c.database_url);
  // Under ctest: the test Redis, db 20, this benchmark's alone: its guessers fill the failed-login
  // window of 127.0.0.1, which would refuse the logins of any other test sharing the db.
  c.redis_url = bench::redis_url(c.redis_url, 20);
  if (c.seconds < 1 || c.connections < 1 || c.guessers < 1)
    throw std::runtime_error("--seconds, --connections and --guessers must be at least 1");
  return c;
}

// One judge-api on a free port, serving when constructed.
struct Api {
  Api(const Config& c, const std::string& database_url, bool limits)
      : port(bench::free_port()),
        process({c.api, "--listen", "127.0.0.1:" + std::to_string(port)},
                env(c, database_url, limits)) {
    if (!bench::wait_until_serving(port, kServeTimeoutMs))
      throw std::runtime_error("judge-api did not come up on port " + std::to_string(port));
  }
  static std::vector<std::string> env(const Config& c, const std::string& database_url,
                                      bool limits) {
    std::vector<std::string> e = {"DATABASE_URL=" + database_url, "REDIS_URL=" + c.redis_url,
                                  "JWT_SECRET=login-bench-secret", "JUDGE_LOG_LEVEL=warn"};
    if (!limits) {
      e.insert(e.end(), {"JUDGE_LOGIN_FAIL_LIMIT_ACCOUNT=0", "JUDGE_LOGIN_FAIL_LIMIT_ADDRESS=0"});
    }
    return e;
  }
  int port;
  bench::Child process;
};

// GET the contest for `seconds`, round robin over `connections` kept-alive connections (Pistache
// serves each connection on one thread, chosen by its descriptor: several sample every thread);
// client-side milliseconds per complete response.
std::vector<double> time_gets(int port, double seconds, int connections, const std::string& what) {
  std::vector<std::unique_ptr<bench::HttpClient>> clients;
  for (int i = 0; i < connections; ++i)
    clients.push_back(std::make_unique<bench::HttpClient>(port));
  std::vector<double> ms;
  const auto started = Clock::now();
  for (size_t i = 0; ms_since(started) < seconds * 1000; ++i) {
    const auto start = Clock::now();
    auto r = clients[i % clients.size()]->get(kGetPath);
    ms.push_back(ms_since(start));
    if (r.status != 200) throw std::runtime_error("GET contest: " + std::to_string(r.status));
    if ((i + 1) % 100 == 0)
      std::fprintf(stderr, "\rlogin: %s %zu requests (%.1f s)", what.c_str(), i + 1,
                   ms_since(started) / 1000);
  }
  std::fprintf(stderr, "\rlogin: %s %zu requests (%.1f s)\n", what.c_str(), ms.size(),
               ms_since(started) / 1000);
  return ms;
}

// Clients sending wrong passwords back to back until stopped; counts the answers by status.
class Guessers {
 public:
  Guessers(int port, int count) {
    for (int i = 0; i < count; ++i) threads_.emplace_back([this, port, i] { guess(port, i); });
  }
  ~Guessers() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  std::map<int, int> answers() {
    std::lock_guard lock(mutex_);
    return answers_;
  }

 private:
  void guess(int port, int who) {
    bench::HttpClient client(port);
    for (int n = 0; !stop_; ++n) {
      const std::string body = json{
          {"username", kUser},
          {"password",
           "guess-" + std::to_string(who) + "-" +
               std::to_string(n)}}.dump();
      auto r =
          client.request("POST", "/api/auth/login", body, {{"Content-Type", "application/json"}});
      std::lock_guard lock(mutex_);
      ++answers_[r.status];
    }
  }
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::map<int, int> answers_;
  std::vector<std::thread> threads_;
};

std::string answers_text(const std::map<int, int>& answers) {
  std::string text;
  for (const auto& [status, count] : answers) {
    text += (text.empty() ? "" : ", ") + bench::format("%d x %d", count, status);
  }
  return text.empty() ? "none" : text;
}

std::string latency(const bench::Stats& s) {
  return bench::format("%.2f ms median, %.2f ms p99", s.median, s.p99);
}

// Quiet and guessed-at GET figures of one judge-api, as rows.
std::vector<bench::Row> measure(const Config& c, const std::string& database_url, bool limits) {
  Api api(c, database_url, limits);
  const std::string mode = limits ? "failed-login limits as by default" : "limits off";
  time_gets(api.port, kWarmupSeconds, c.connections, "warm-up");
  const auto quiet = time_gets(api.port, c.seconds, c.connections, mode + ", quiet");
  Guessers guessers(api.port, c.guessers);
  const auto busy = time_gets(api.port, c.seconds, c.connections, mode + ", guessing");
  guessers.stop();
  const bench::Stats q = bench::stats(quiet), b = bench::stats(busy);
  const std::string setup =
      bench::format("judge-api %s --threads 2, %s, %d kept-alive connections",
                    c.api.substr(c.api.rfind('/') + 1).c_str(), mode.c_str(), c.connections);
  auto samples = [&](const std::vector<double>& ms) {
    return bench::format("%zu requests in %.0f s", ms.size(), c.seconds);
  };
  return {{"login", "GET contest, nobody logging in", setup, samples(quiet), latency(q), ""},
          {"login",
           bench::format("GET contest while %d clients guess passwords (they were answered %s)",
                         c.guessers, answers_text(guessers.answers()).c_str()),
           setup, samples(busy), latency(b),
           bench::format("%.1fx the quiet median", b.median / q.median)}};
}

int run(const Config& c) {
  bench::BenchDatabase db(c.database_url, "login_bench", c.keep_database);
  db.migrate(c.judgectl, c.migrations);
  core::Store store(db.url());
  core::SetupStore setup(store);
  setup.upsert_contest({kContest, kContest, kContest, core::now_ms() - kHour, 5 * kHour,
                        std::nullopt, 20, "pass-fail"});
  setup.upsert_team({"t1", "Team One", "Team One"});
  setup.add_team_to_contest(kContest, "t1");
  core::AccountStore(store).upsert_user(kUser, core::hash_password(core::random_hex(16)),
                                        core::Role::Team, "t1");
  std::vector<bench::Row> rows = measure(c, db.url(), true);
  for (auto& row : measure(c, db.url(), false)) rows.push_back(std::move(row));
  bench::report(rows);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main("login_bench", [&] { return run(parse(argc, argv)); });
}
