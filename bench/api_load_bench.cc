// api_load_bench: judge-api under load from wrk, on a contest of realistic size.
//
// Creates a database on the given Postgres server, migrates it with `judgectl migrate`, fills
// one running contest (1,000 teams, 15 problems, 100,000 judged submissions; scoreboard_fill.h),
// gives every team a user and a bearer token (signed here with the API's JWT secret, as
// /api/auth/login would), starts one release judge-api (--submit-rate-limit 0, --api-threads)
// and runs wrk (-t2 --latency) against it:
//   1. POST /api/contests/bench/submissions as random teams with a small C source (a generated
//      Lua script). Every 202 wrk saw must be in the database, and the database may hold at most
//      one more submission per connection (or dropped connection) than wrk saw (requests in
//      flight when wrk stopped): no lost writes.
//   2. GET /api/contests/bench/scoreboard anonymously, as a browser asks (Accept-Encoding: gzip).
//   3. The same without Accept-Encoding (the full JSON each time).
// Any non-2xx/3xx answer, connect error or timeout fails the run, as do connections dropped
// mid-exchange (wrk's read/write errors; reported) beyond 0.1% of the requests. Prints bench::Row
// rows (requests/s, p99, bytes per response) against the targets of issue 8: POST >= 2,000/s
// with p99 <= 50 ms, GET scoreboard >= 5,000/s. Drops its database at the end.
//
//   api_load_bench [--database-url URL] [--redis-url URL] [--teams N] [--problems N]
//                  [--submissions N] [--duration S] [--post-connections N]
//                  [--get-connections N] [--api-threads N] [--wrk PATH] [--keep-database]
//                  [--api PATH (another judge-api binary, e.g. of an older commit)]
//                  [--smoke (small sizes and 2 s runs for ctest)]
// The server comes from --database-url, else DATABASE_URL, else TEST_DATABASE_URL (ctest, with
// TEST_REDIS_URL + "/4").
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <thread>
#include <chrono>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_db.h"
#include "bench_util.h"
#include "core/auth.h"
#include "core/timefmt.h"
#include "scoreboard_fill.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int64_t kMinute = 60'000;
constexpr const char* kJwtSecret = "api-load-bench-secret";
constexpr int kServeTimeoutMs = 30'000;
constexpr int kWarmupSeconds = 1;
const std::string kContestPath = "/api/contests/bench";

struct Config {
  std::string database_url, redis_url, wrk = "wrk";
  int teams = 1000, problems = 15, submissions = 100'000;
  int duration_s = 10, post_connections = 32, get_connections = 32, api_threads = 32;
  bool keep_database = false, smoke = false;
  std::string api = JUDGE_API_PATH, judgectl = JUDGECTL_PATH, migrations = JUDGE_MIGRATIONS_DIR;
};

void apply_defaults(Config& c) {
  if (c.smoke) {
    c.teams = 40, c.problems = 5, c.submissions = 2000;
    // Few threads: each holds a connection of the test Postgres, which other tests share.
    c.duration_s = 2, c.post_connections = 8, c.get_connections = 8, c.api_threads = 4;
  }
  c.database_url = bench::postgres_url(c.database_url);
  // Under ctest: the test Redis, db 4 (the submissions are queued there; no worker takes them).
  c.redis_url = bench::redis_url(c.redis_url, 4);
  if (c.teams < 1 || c.problems < 1 || c.submissions < 1 || c.duration_s < 1 ||
      c.post_connections < 1 || c.get_connections < 1 || c.api_threads < 1)
    throw std::runtime_error("every count must be at least 1");
}

Config parse(int argc, char** argv) {
  Config c;
  for (bench::Args args(argc, argv, "api_load_bench.cc"); args.next();) {
    if (args.is("--database-url")) c.database_url = args.value();
    else if (args.is("--redis-url")) c.redis_url = args.value();
    else if (args.is("--teams")) c.teams = args.number();
    else if (args.is("--problems")) c.problems = args.number();
    else if (args.is("--submissions")) c.submissions = args.number();
    else if (args.is("--duration")) c.duration_s = args.number();
    else if (args.is("--post-connections")) c.post_connections = args.number();
    else if (args.is("--get-connections")) c.get_connections = args.number();
    else if (args.is("--api-threads")) c.api_threads = args.number();
    else if (args.is("--wrk")) c.wrk = args.value();
    else if (args.is("--api")) c.api = args.value();
    else if (args.is("--keep-database")) c.keep_database = true;
    else if (args.is("--smoke")) c.smoke = true;
    else args.unknown();
  }
  apply_defaults(c);
  return c;
}

// A user for every team (one password hash for all: argon2 per team would take minutes) and a
// bearer token per team, as /api/auth/login signs them.
std::vector<std::string> team_tokens(const std::string& database_url, int teams) {
  pqxx::connection conn(database_url);
  pqxx::work w(conn);
  w.exec_params(
      "INSERT INTO users (username, password_hash, role, team_id) "
      "SELECT id, $1, 'team', id FROM teams",
      core::hash_password(core::random_hex(16)));
  w.commit();
  std::vector<std::string> tokens;
  const int64_t expires = core::now_ms() / 1000 + 24 * 3600;
  for (int i = 1; i <= teams; ++i) {
    core::TokenClaims claims;
    claims.username = claims.team_id.emplace(bench::team_id(i, teams));
    claims.role = core::Role::Team;
    claims.expires_at = expires;
    tokens.push_back(core::sign_token(claims, kJwtSecret));
  }
  return tokens;
}

// A small, correct C program (what a team sends most of the time).
const char* kSource =
    "#include <stdio.h>\n"
    "int main(void) {\n"
    "  long a, b;\n"
    "  if (scanf(\"%ld %ld\", &a, &b) != 2) return 1;\n"
    "  printf(\"%ld\\n\", a + b);\n"
    "  return 0;\n"
    "}\n";

std::string lua_string(const std::string& text) { return "[==[" + text + "]==]"; }

// The wrk script of the POST phase: random team and problem per request; the ids of the
// submissions answered 202 are written to ids_path at the end.
std::string post_script(const std::vector<std::string>& tokens, int problems,
                        const std::string& ids_path) {
  std::ostringstream lua;
  lua << "local tokens = {\n";
  for (const auto& t : tokens) lua << "  \"" << t << "\",\n";
  lua << "}\nlocal bodies = {\n";
  for (int p = 1; p <= problems; ++p) {
    json body{{"problem_id", bench::problem_id(p, problems)}, {"language_id", "c"},
              {"source", kSource}};
    lua << "  " << lua_string(body.dump()) << ",\n";
  }
  lua << "}\nlocal path = \"" << kContestPath << "/submissions\"\n"
      << "local threads, counter = {}, 0\n"
         "function setup(thread)\n"
         "  counter = counter + 1\n"
         "  thread:set(\"seed\", counter)\n"
         "  table.insert(threads, thread)\n"
         "end\n"
         "function init(args)\n"
         "  math.randomseed(os.time() * 1000 + seed)\n"
         "  ids = {}\n"
         "end\n"
         "function request()\n"
         "  local headers = {[\"Content-Type\"] = \"application/json\",\n"
         "    [\"Authorization\"] = \"Bearer \" .. tokens[math.random(#tokens)]}\n"
         "  return wrk.format(\"POST\", path, headers, bodies[math.random(#bodies)])\n"
         "end\n"
         "function response(status, headers, body)\n"
         "  if status == 202 then\n"
         "    ids[#ids + 1] = body:match('\"id\"%s*:%s*\"(%d+)\"') or \"bad\"\n"
         "  end\n"
         "end\n"
         "function done(summary, latency, requests)\n"
         "  local out = assert(io.open("
      << lua_string(ids_path)
      << ", \"w\"))\n"
         "  for _, thread in ipairs(threads) do\n"
         "    for _, id in ipairs(thread:get(\"ids\")) do out:write(id, \"\\n\") end\n"
         "  end\n"
         "  out:close()\n"
         "end\n";
  return lua.str();
}

struct WrkResult {
  double requests_per_s = 0, p99_ms = 0, bytes_read = 0;
  long requests = 0, non_2xx = 0;
  long broken = 0;   // Connect errors and timeouts: always a failure.
  long dropped = 0;  // Connections closed mid-exchange (wrk reconnects): reported, few allowed.
  std::string output;
};

double to_ms(double value, const std::string& unit) {
  if (unit == "us") return value / 1000;
  if (unit == "s") return value * 1000;
  if (unit == "m") return value * 60'000;
  return value;  // ms
}

double to_bytes(double value, const std::string& unit) {
  if (unit == "KB") return value * 1024;
  if (unit == "MB") return value * 1024 * 1024;
  if (unit == "GB") return value * 1024 * 1024 * 1024;
  return value;
}

WrkResult parse_wrk(const std::string& out) {
  WrkResult r;
  r.output = out;
  std::smatch m;
  if (!std::regex_search(out, m, std::regex(R"(Requests/sec:\s+([0-9.]+))")))
    throw std::runtime_error("no Requests/sec in wrk's output:\n" + out);
  r.requests_per_s = std::stod(m[1]);
  if (!std::regex_search(out, m, std::regex(R"(\n\s+99%\s+([0-9.]+)(us|ms|s|m)\b)")))
    throw std::runtime_error("no 99% latency in wrk's output:\n" + out);
  r.p99_ms = to_ms(std::stod(m[1]), m[2]);
  if (!std::regex_search(out, m,
                         std::regex(R"((\d+) requests in [0-9.]+\w+, ([0-9.]+)(B|KB|MB|GB) read)")))
    throw std::runtime_error("no request count in wrk's output:\n" + out);
  r.requests = std::stol(m[1]);
  r.bytes_read = to_bytes(std::stod(m[2]), m[3]);
  if (std::regex_search(out, m, std::regex(R"(Non-2xx or 3xx responses:\s+(\d+))")))
    r.non_2xx = std::stol(m[1]);
  if (std::regex_search(out, m,
                        std::regex(R"(Socket errors: connect (\d+), read (\d+), write (\d+), )"
                                   R"(timeout (\d+))"))) {
    r.broken = std::stol(m[1]) + std::stol(m[4]);
    r.dropped = std::stol(m[2]) + std::stol(m[3]);
  }
  return r;
}

// Runs wrk to the end; its output parsed. Throws on a failed run or a non-2xx/3xx answer.
WrkResult run_wrk(const Config& c, int connections, int seconds, const std::string& url,
                  const std::vector<std::string>& extra) {
  std::string command = c.wrk + " -t2 -c" + std::to_string(connections) + " -d" +
                        std::to_string(seconds) + "s --latency --timeout 10s";
  for (const auto& arg : extra) command += " '" + arg + "'";
  command += " '" + url + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + c.wrk);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  if (int status = ::pclose(pipe); status != 0)
    throw std::runtime_error("wrk failed (status " + std::to_string(status) + "):\n" + out);
  WrkResult r = parse_wrk(out);
  if (r.non_2xx > 0 || r.broken > 0 || r.dropped * 1000 > r.requests)
    throw std::runtime_error("judge-api answered " + std::to_string(r.non_2xx) +
                             " non-2xx/3xx responses; socket errors: " +
                             std::to_string(r.broken) + " connect/timeout, " +
                             std::to_string(r.dropped) + " read/write:\n" + out);
  return r;
}

// One release judge-api on a free port, serving when constructed.
struct Api {
  Api(const Config& c, const std::string& database_url)
      : port(bench::free_port()),
        process({c.api, "--listen", "127.0.0.1:" + std::to_string(port), "--threads",
                 std::to_string(c.api_threads), "--submit-rate-limit", "0"},
                {"DATABASE_URL=" + database_url, "REDIS_URL=" + c.redis_url,
                 std::string("JWT_SECRET=") + kJwtSecret, "JUDGE_LOG_LEVEL=warn"}) {
    if (!bench::wait_until_serving(port, kServeTimeoutMs))
      throw std::runtime_error("judge-api did not come up on port " + std::to_string(port));
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  int port;
  bench::Child process;
};

struct SubmissionCount {
  int64_t count = 0, max_id = 0;
};

SubmissionCount count_submissions(pqxx::connection& conn) {
  pqxx::work w(conn);
  auto row = w.exec1("SELECT count(*), coalesce(max(id), 0) FROM submissions");
  return {row[0].as<int64_t>(), row[1].as<int64_t>()};
}

// The count once the requests still in flight when wrk stopped are done (unchanged for 500 ms).
SubmissionCount settled_count(pqxx::connection& conn) {
  SubmissionCount last = count_submissions(conn);
  for (int unchanged_ms = 0; unchanged_ms < 500; unchanged_ms += 100) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    SubmissionCount now = count_submissions(conn);
    if (now.count != last.count) unchanged_ms = -100;
    last = now;
  }
  return last;
}

// Every 202 wrk saw is stored, and nothing beyond the requests in flight when wrk stopped.
std::string check_no_lost_writes(pqxx::connection& conn, const SubmissionCount& before,
                                 const std::string& ids_path, int unanswered) {
  std::ifstream in(ids_path);
  std::set<int64_t> ids;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.find_first_not_of("0123456789") != std::string::npos)
      throw std::runtime_error("a 202 without a submission id: '" + line + "'");
    ids.insert(std::stoll(line));
  }
  std::string array = "{";
  for (int64_t id : ids) array += (array.size() > 1 ? "," : "") + std::to_string(id);
  array += "}";
  pqxx::work w(conn);
  auto found = w.exec_params1(
      "SELECT count(*) FROM submissions WHERE id = ANY($1::bigint[]) AND id > $2", array,
      before.max_id)[0].as<int64_t>();
  auto stored =
      w.exec_params1("SELECT count(*) FROM submissions WHERE id > $1", before.max_id)[0]
          .as<int64_t>();
  const auto accepted = static_cast<int64_t>(ids.size());
  if (found != accepted)
    throw std::runtime_error("lost writes: " + std::to_string(accepted) + " answered 202, " +
                             std::to_string(found) + " of them stored");
  if (stored < accepted || stored > accepted + unanswered)
    throw std::runtime_error(std::to_string(stored) + " submissions stored for " +
                             std::to_string(accepted) + " answered 202 (at most " +
                             std::to_string(unanswered) + " in flight)");
  return bench::format("%lld answered 202, all stored (+%lld in flight at the stop)",
                       static_cast<long long>(accepted),
                       static_cast<long long>(stored - accepted));
}

std::string thousands(double value) {
  std::string digits = std::to_string(static_cast<long long>(value + 0.5));
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
  return digits;
}

bench::Row row(const Config& c, const std::string& measured, int connections,
               const WrkResult& r, const std::string& compared) {
  return {"api load",
          measured,
          bench::format("judge-api --threads %d, wrk -t2 -c%d; %s teams x %d problems, %s "
                        "submissions before",
                        c.api_threads, connections, thousands(c.teams).c_str(), c.problems,
                        thousands(c.submissions).c_str()),
          thousands(static_cast<double>(r.requests)) + " requests in " +
              std::to_string(c.duration_s) + " s",
          bench::format("%s/s, p99 %.1f ms, %.1f KB/response%s", thousands(r.requests_per_s).c_str(),
                        r.p99_ms, r.bytes_read / 1024 / static_cast<double>(r.requests),
                        r.dropped ? bench::format(", %ld connections dropped", r.dropped).c_str()
                                  : ""),
          compared};
}

struct Phase {
  std::string measured;
  WrkResult result;
};

WrkResult post_phase(const Config& c, const Api& api, pqxx::connection& conn,
                     const std::vector<std::string>& tokens, const fs::path& dir,
                     std::string& writes) {
  const std::string script = (dir / "post.lua").string(), ids = (dir / "post-ids.txt").string();
  std::ofstream(script) << post_script(tokens, c.problems, ids);
  std::fprintf(stderr, "POST submissions: warm-up %d s\n", kWarmupSeconds);
  run_wrk(c, c.post_connections, kWarmupSeconds, api.url(""), {"-s", script});
  auto before = settled_count(conn);
  std::fprintf(stderr, "POST submissions: %d connections, %d s\n", c.post_connections,
               c.duration_s);
  WrkResult r = run_wrk(c, c.post_connections, c.duration_s, api.url(""), {"-s", script});
  // A connection dropped mid-exchange may have had its submission stored without a 202.
  settled_count(conn);
  writes = check_no_lost_writes(conn, before, ids, c.post_connections + static_cast<int>(r.dropped));
  std::fprintf(stderr, "POST submissions: %.0f/s, p99 %.1f ms; %s\n", r.requests_per_s, r.p99_ms,
               writes.c_str());
  return r;
}

WrkResult get_phase(const Config& c, const Api& api, bool gzip) {
  std::vector<std::string> headers;
  if (gzip) headers = {"-H", "Accept-Encoding: gzip, deflate, br"};
  const char* what = gzip ? "GET scoreboard (gzip)" : "GET scoreboard (identity)";
  std::fprintf(stderr, "%s: warm-up %d s\n", what, kWarmupSeconds);
  run_wrk(c, c.get_connections, kWarmupSeconds, api.url(kContestPath + "/scoreboard"), headers);
  std::fprintf(stderr, "%s: %d connections, %d s\n", what, c.get_connections, c.duration_s);
  WrkResult r =
      run_wrk(c, c.get_connections, c.duration_s, api.url(kContestPath + "/scoreboard"), headers);
  std::fprintf(stderr, "%s: %.0f/s, p99 %.1f ms, %.0f bytes/response\n", what, r.requests_per_s,
               r.p99_ms, r.bytes_read / static_cast<double>(r.requests));
  return r;
}

int run(const Config& c) {
  bench::BenchDatabase db(c.database_url, "api_load_bench", c.keep_database);
  db.migrate(c.judgectl, c.migrations);
  const int64_t now = core::now_ms();
  // Running and frozen: started 250 minutes ago, 300 minutes long, frozen from minute 240.
  bench::FillSpec spec{"bench",       c.teams,      c.problems, c.submissions, now - 250 * kMinute,
                       300 * kMinute, 60 * kMinute, now};
  bench::fill_contest(db.url(), spec);
  std::fprintf(stderr, "team users and tokens for %d teams\n", c.teams);
  auto tokens = team_tokens(db.url(), c.teams);
  std::fprintf(stderr, "starting judge-api --threads %d --submit-rate-limit 0\n", c.api_threads);
  Api api(c, db.url());
  pqxx::connection conn(db.url());
  const fs::path dir = fs::temp_directory_path() / ("api_load_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);

  std::string writes;
  WrkResult post = post_phase(c, api, conn, tokens, dir, writes);
  WrkResult gzip = get_phase(c, api, true);
  WrkResult identity = get_phase(c, api, false);
  fs::remove_all(dir);

  bool post_met = post.requests_per_s >= 2000 && post.p99_ms <= 50;
  bench::report({
      row(c, "POST submissions (202), no lost writes: " + writes, c.post_connections, post,
          std::string("target >= 2,000/s with p99 <= 50 ms: ") + (post_met ? "met" : "MISSED")),
      row(c, "GET scoreboard, anonymous, Accept-Encoding: gzip", c.get_connections, gzip,
          "target >= 5,000/s: " + bench::verdict(gzip.requests_per_s, 5000, false)),
      row(c, "GET scoreboard, anonymous, identity (no Accept-Encoding)", c.get_connections,
          identity, "target >= 5,000/s: " + bench::verdict(identity.requests_per_s, 5000, false)),
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main("api_load_bench", [&] { return run(parse(argc, argv)); });
}
