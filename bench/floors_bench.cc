// floors_bench: the floors the judge sits on, measured in one run so that the pipeline's figures
// can be read against them:
//   1. fork() + execve() + waitpid() of a trivial static binary (gcc -static, a temp dir);
//   2. a Redis LPUSH then BRPOP on a key of its own over one hiredis connection;
//   3. a Postgres single-row `UPDATE ... SET n = n + 1` committed in its own transaction, on one
//      connection, then on 2 connections at once (2 threads, a row each): the pipeline has several
//      writers, and concurrent commits can share a WAL flush (group commit).
// Reports bench::Row rows (benchmark "floors"). Creates a database and a Redis key of its own
// and removes both at the end.
//
//   floors_bench [--runs N] [--smoke] [--database-url URL] [--redis-url URL]
// The servers come from the flags, else DATABASE_URL / REDIS_URL (scripts/bench), else
// TEST_DATABASE_URL / TEST_REDIS_URL + "/9" (ctest).
#include <hiredis/hiredis.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_db.h"
#include "bench_util.h"
#include "core/queue.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using bench::Clock;
using bench::ms_since;

constexpr int kWriters = 2;
constexpr int kSmokeRuns = 20;
constexpr int kWarmupRuns = 20;

struct Config {
  int runs = 2000;
  bool smoke = false;
  std::string database_url, redis_url;
};

Config parse(int argc, char** argv) {
  Config c;
  for (bench::Args args(argc, argv, "floors_bench.cc"); args.next();) {
    if (args.is("--runs"))
      c.runs = args.number();
    else if (args.is("--smoke"))
      c.smoke = true;
    else if (args.is("--database-url"))
      c.database_url = args.value();
    else if (args.is("--redis-url"))
      c.redis_url = args.value();
    else
      args.unknown();
  }
  if (c.smoke) c.runs = kSmokeRuns;
  if (c.runs < kWriters) throw std::runtime_error("--runs must be at least 2");
  c.database_url = bench::postgres_url(c.database_url);
  c.redis_url = bench::redis_url(c.redis_url, 9);
  return c;
}

// Samples of one measurement and the wall time of all of them together.
struct Measured {
  std::vector<double> ms;
  double wall_ms = 0;
};

// Calls `once` `count` times, timing each call, with a progress line on stderr.
Measured measure(const char* what, int count, const std::function<void()>& once) {
  Measured m;
  m.ms.reserve(static_cast<size_t>(count));
  auto first = Clock::now();
  for (int i = 0; i < count; ++i) {
    auto start = Clock::now();
    once();
    m.ms.push_back(ms_since(start));
    if ((i + 1) % 250 == 0 || i + 1 == count)
      std::fprintf(stderr, "\rfloors: %s %d/%d (%.1f s)", what, i + 1, count,
                   ms_since(first) / 1000);
  }
  m.wall_ms = ms_since(first);
  std::fprintf(stderr, "\n");
  return m;
}

std::string latency(const std::vector<double>& ms) {
  auto s = bench::stats(ms);
  return bench::format("%.3f ms median, %.3f ms p99", s.median, s.p99);
}

std::string per_second(size_t count, double wall_ms, const char* unit) {
  return bench::format("%.0f %s/s", static_cast<double>(count) * 1000 / wall_ms, unit);
}

// --- fork + exec + wait -------------------------------------------------------------------

std::string compile_true(const fs::path& dir) {
  fs::path src = dir / "true.c";
  std::ofstream(src) << "int main(void) { return 0; }\n";
  std::string bin = (dir / "true").string();
  std::string cmd = "gcc -static -O2 -o '" + bin + "' '" + src.string() + "'";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  return bin;
}

void fork_exec_wait(const std::string& path) {
  char* args[] = {const_cast<char*>(path.c_str()), nullptr};
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::execve(path.c_str(), args, environ);
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("the trivial binary did not exit with 0");
}

bench::Row fork_exec_row(const Config& c) {
  char tmpl[] = "/tmp/floors-bench-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  struct Cleanup {
    fs::path dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{tmpl};
  std::string bin = compile_true(cleanup.dir);
  for (int i = 0; i < kWarmupRuns; ++i) fork_exec_wait(bin);
  auto m = measure("fork+exec+wait", c.runs, [&] { fork_exec_wait(bin); });
  return {"floors",
          "fork+exec+wait of a static `return 0` binary",
          "fork() + execve() + waitpid(), one at a time",
          bench::format("%d runs", c.runs),
          latency(m.ms) + ", " + per_second(m.ms.size(), m.wall_ms, "runs"),
          "floor"};
}

// --- Redis --------------------------------------------------------------------------------

using RedisContext = std::unique_ptr<redisContext, decltype(&redisFree)>;
using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

Reply command(redisContext* redis, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* raw = static_cast<redisReply*>(
      redisCommandArgv(redis, static_cast<int>(args.size()), argv.data(), lengths.data()));
  if (raw == nullptr) throw std::runtime_error("Redis " + args[0] + ": " + redis->errstr);
  Reply reply(raw, freeReplyObject);
  if (reply->type == REDIS_REPLY_ERROR)
    throw std::runtime_error("Redis " + args[0] + ": " + std::string(reply->str, reply->len));
  return reply;
}

RedisContext connect_redis(const std::string& url) {
  auto address = core::parse_redis_url(url);
  if (!address) throw std::runtime_error("malformed Redis URL " + url);
  RedisContext redis(redisConnect(address->host.c_str(), address->port), redisFree);
  if (!redis || redis->err)
    throw std::runtime_error("cannot connect to Redis at " + url + ": " +
                             (redis ? redis->errstr : "out of memory"));
  if (address->db != 0) command(redis.get(), {"SELECT", std::to_string(address->db)});
  return redis;
}

bench::Row redis_row(const Config& c, RedisContext redis) {
  const std::string key = "bench:floors:" + std::to_string(::getpid());
  // About the size of a queue item (submission id, contest, attempt).
  const std::string payload(120, 'x');
  struct Cleanup {
    redisContext* redis;
    std::string key;
    ~Cleanup() {
      if (auto* r = redisCommand(redis, "DEL %s", key.c_str())) freeReplyObject(r);
    }
  } cleanup{redis.get(), key};
  auto round_trip = [&] {
    command(redis.get(), {"LPUSH", key, payload});
    auto popped = command(redis.get(), {"BRPOP", key, "1"});
    if (popped->type != REDIS_REPLY_ARRAY || popped->elements != 2)
      throw std::runtime_error("BRPOP did not return the item just pushed");
  };
  for (int i = 0; i < kWarmupRuns; ++i) round_trip();
  auto m = measure("Redis LPUSH+BRPOP", c.runs, round_trip);
  return {"floors",
          "Redis LPUSH then BRPOP of a 120-byte item",
          "1 hiredis connection, 127.0.0.1, 2 commands per round trip",
          bench::format("%d round trips", c.runs),
          latency(m.ms) + ", " + per_second(m.ms.size(), m.wall_ms, "round trips"),
          "floor"};
}

// --- Postgres -----------------------------------------------------------------------------

// A database of its own (bench_db.h) with table t, a row per writer.
std::unique_ptr<bench::BenchDatabase> floors_database(const std::string& server_url) {
  auto db = std::make_unique<bench::BenchDatabase>(server_url, "floors_bench", false);
  pqxx::connection conn(db->url());
  pqxx::work setup(conn);
  setup.exec("CREATE TABLE t (id int PRIMARY KEY, n bigint NOT NULL)");
  setup.exec("INSERT INTO t SELECT g, 0 FROM generate_series(1, " + std::to_string(kWriters) +
             ") g");
  setup.commit();
  return db;
}

void update_commit(pqxx::connection& db, int id) {
  pqxx::work tx(db);
  tx.exec("UPDATE t SET n = n + 1 WHERE id = " + std::to_string(id));
  tx.commit();
}

// "fsync on, synchronous_commit on": what a commit waits for on this server.
std::string durability(pqxx::connection& db) {
  pqxx::nontransaction q(db);
  return "fsync " + q.exec1("SHOW fsync")[0].as<std::string>() + ", synchronous_commit " +
         q.exec1("SHOW synchronous_commit")[0].as<std::string>();
}

bench::Row postgres_one_row(const Config& c, const bench::BenchDatabase& fdb) {
  pqxx::connection db(fdb.url());
  for (int i = 0; i < kWarmupRuns; ++i) update_commit(db, 1);
  auto m = measure("Postgres UPDATE commit", c.runs, [&] { update_commit(db, 1); });
  return {"floors",
          "Postgres single-row UPDATE, one transaction each",
          "1 connection, 127.0.0.1, " + durability(db),
          bench::format("%d commits", c.runs),
          latency(m.ms) + ", " + per_second(m.ms.size(), m.wall_ms, "commits"),
          "floor"};
}

bench::Row postgres_writers_row(const Config& c, const bench::BenchDatabase& fdb) {
  const int per_writer = c.runs / kWriters;
  std::vector<std::vector<double>> samples(kWriters);
  std::vector<std::string> errors(kWriters);
  std::vector<std::unique_ptr<pqxx::connection>> connections;
  for (int w = 0; w < kWriters; ++w)
    connections.push_back(std::make_unique<pqxx::connection>(fdb.url()));
  std::fprintf(stderr, "floors: Postgres UPDATE commit, %d writers x %d\n", kWriters, per_writer);
  auto first = Clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        for (int i = 0; i < per_writer; ++i) {
          auto start = Clock::now();
          update_commit(*connections[w], w + 1);  // A row each: no lock waits between writers.
          samples[w].push_back(ms_since(start));
        }
      } catch (const std::exception& e) {
        errors[w] = e.what();
      }
    });
  }
  for (auto& t : writers) t.join();
  double wall_ms = ms_since(first);
  std::vector<double> all;
  for (int w = 0; w < kWriters; ++w) {
    if (!errors[w].empty()) throw std::runtime_error(errors[w]);
    all.insert(all.end(), samples[w].begin(), samples[w].end());
  }
  return {"floors",
          "Postgres single-row UPDATE, one transaction each, 2 writers at once",
          "2 connections (2 threads, a row each), " + durability(*connections[0]),
          bench::format("%zu commits", all.size()),
          latency(all) + ", " + per_second(all.size(), wall_ms, "commits") + " in total",
          "floor"};
}

// Connects to both servers first: a missing one fails the run before anything is measured.
int run(const Config& c) {
  RedisContext redis = connect_redis(c.redis_url);
  std::unique_ptr<bench::BenchDatabase> db;
  try {
    db = floors_database(c.database_url);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot use Postgres at " + c.database_url + ": " + e.what());
  }
  std::vector<bench::Row> rows;
  rows.push_back(fork_exec_row(c));
  rows.push_back(redis_row(c, std::move(redis)));
  rows.push_back(postgres_one_row(c, *db));
  rows.push_back(postgres_writers_row(c, *db));
  bench::report(rows);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main("floors_bench", [&] { return run(parse(argc, argv)); });
}
