// pipeline_bench: the whole judging pipeline on this machine, side by side with its floor.
//
// Creates a database of its own (judgectl migrate) with one running contest and a one-test
// problem (read two numbers, print their sum), and starts a release judge-api. Then:
//   1. the floor: the sandbox alone (sandbox::Box::run, as the judge runs a test) runs the
//      compiled solution on the test, in 1 box and in as many boxes as cores at once: runs/s;
//   2. for 1 and 2 worker processes (--slots default: one per core; --languages c):
//      a. warm-up until every worker has judged once (its compile cache holds the program);
//      b. fixed rate: --rate submissions/s for --seconds, as the jury for rotating teams;
//         submit-to-verdict (submitted_at to the judgement's end_time, from Postgres) p50/p99,
//         and where each submission's time went, from the worker's `judged` log line (claim,
//         load, testdata, setup, compile, runs, compare, record; the rest is the API and the
//         queue);
//      c. flat out: --flat submissions from 4 connections as fast as the API takes them:
//         judged per second (first submit to last verdict) against the sandbox alone.
// Every submission must be judged AC exactly once. Prints bench::Row rows; drops its database.
//
//   pipeline_bench [--database-url URL] [--redis-url URL] [--rate N] [--seconds S] [--flat N]
//                  [--max-workers N] [--sandbox-runs N] [--keep-database] [--smoke]
// The servers come from the flags, else DATABASE_URL / REDIS_URL, else (ctest)
// TEST_DATABASE_URL / TEST_REDIS_URL + "/3". Needs root (the sandbox), like the workers.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_db.h"
#include "bench_util.h"
#include "core/account_store.h"
#include "core/auth.h"
#include "core/contest_reads.h"
#include "core/setup_store.h"
#include "core/timefmt.h"
#include "judge/judge.h"
#include "sandbox/sandbox.h"
#include "slot_lock.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using bench::Clock;
using bench::ms_since;

constexpr const char* kContest = "pipe";
constexpr const char* kProblem = "sum";
constexpr const char* kJuryPassword = "pipeline-bench-jury";
constexpr const char* kSource =
    "#include <stdio.h>\nint main(void) { long a, b; if (scanf(\"%ld %ld\", &a, &b) != 2) "
    "return 1; printf(\"%ld\\n\", a + b); return 0; }\n";
constexpr int kTeams = 50;
constexpr int kFlatClients = 4;
constexpr int kServeTimeoutMs = 30'000;
constexpr int kJudgedTimeoutMs = 120'000;
constexpr const char* kSlotLockDir = "/run/contest-judge/slots";  // The workers' default.
constexpr double kOutsideTargetMs = 5;
constexpr double kThroughputTarget = 0.70;

struct Config {
  std::string database_url, redis_url;
  int rate = 50, seconds = 10, flat = 2000, max_workers = 2, sandbox_runs = 1000;
  bool keep_database = false, smoke = false;
};

Config parse(int argc, char** argv) {
  Config c;
  for (bench::Args args(argc, argv, "pipeline_bench.cc"); args.next();) {
    if (args.is("--database-url"))
      c.database_url = args.value();
    else if (args.is("--redis-url"))
      c.redis_url = args.value();
    else if (args.is("--rate"))
      c.rate = args.number();
    else if (args.is("--seconds"))
      c.seconds = args.number();
    else if (args.is("--flat"))
      c.flat = args.number();
    else if (args.is("--max-workers"))
      c.max_workers = args.number();
    else if (args.is("--sandbox-runs"))
      c.sandbox_runs = args.number();
    else if (args.is("--keep-database"))
      c.keep_database = true;
    else if (args.is("--smoke"))
      c.smoke = true;
    else
      args.unknown();
  }
  if (c.smoke) c.rate = 10, c.seconds = 1, c.flat = 20, c.max_workers = 1, c.sandbox_runs = 20;
  c.database_url = bench::postgres_url(c.database_url);
  c.redis_url = bench::redis_url(c.redis_url, 3);
  if (c.rate < 1 || c.seconds < 1 || c.flat < 1 || c.max_workers < 1 || c.sandbox_runs < 1)
    throw std::runtime_error("every count must be at least 1");
  return c;
}

// A temp dir, removed at the end.
struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/pipeline-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
    fs::permissions(path, fs::perms(0755));
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

// The contest, its problem with one test, the teams and a jury account, through the Store.
void seed(core::Store& store) {
  core::SetupStore setup(store);
  core::Contest contest;
  contest.id = kContest;
  contest.name = "Pipeline benchmark";
  contest.start_ms = core::now_ms() - 60'000;
  contest.duration_ms = 10 * 3'600'000LL;
  setup.upsert_contest(contest);
  core::NewProblem problem;
  problem.problem = {kContest, kProblem, "A", "Sum", 1};
  problem.tests.push_back({"1 2\n", "3\n"});
  setup.replace_problem(problem);
  for (int i = 1; i <= kTeams; ++i) {
    core::Team team;
    team.id = "team" + std::to_string(i);
    team.name = "Team " + std::to_string(i);
    setup.upsert_team(team);
    setup.add_team_to_contest(kContest, team.id);
  }
  core::AccountStore(store).upsert_user("jury", core::hash_password(kJuryPassword),
                                        core::Role::Jury, std::nullopt);
}

const core::Language& c_language(const std::vector<core::Language>& languages) {
  for (const auto& l : languages)
    if (l.id == "c") return l;
  throw std::runtime_error("no language row c");
}

// --- 1. The sandbox alone ---------------------------------------------------------------------

// The solution compiled as the language row compiles it, with the test's input beside it.
struct Compiled {
  fs::path dir, input;
  std::vector<std::string> run_argv;
};

Compiled compile_solution(const core::Language& c, const fs::path& dir) {
  std::ofstream(dir / c.source_file) << kSource;
  const judge::LanguageSpec spec{c.id, c.source_file, c.compile_argv, c.run_argv, c.extensions};
  const judge::ArgvValues values{{c.source_file}, c.source_file, 262144};
  std::string command = "cd '" + dir.string() + "' &&";
  for (const auto& arg : judge::expand_argv(c.compile_argv, spec, values))
    command += " '" + arg + "'";
  bench::run_to_completion({"/bin/sh", "-c", command}, {"PATH=/usr/bin:/bin"});
  std::ofstream(dir / "input") << "1 2\n";
  return {dir, dir / "input", judge::expand_argv(c.run_argv, spec, values)};
}

struct SandboxAlone {
  double per_second = 0;
  bench::Stats ms;
  double cpu_ms_per_run = 0;  // The boxes' and their helpers', all cores.
};

// `boxes` boxes at once, each running the solution `runs` times.
SandboxAlone sandbox_alone(const Compiled& program, int boxes, int runs) {
  std::vector<std::vector<double>> ms(static_cast<size_t>(boxes));
  std::atomic<bool> failed{false};
  auto box_loop = [&](int index) {
    try {
      // A host-wide slot as the workers take them: concurrent benchmarks and tests never share.
      workers::SlotLock slot(kSlotLockDir, workers::kMaxSandboxSlots);
      sandbox::Box box(sandbox::BoxConfig{JUDGE_BOX_PATH, slot.slot(), "bench"});
      sandbox::RunSpec spec;
      spec.argv = program.run_argv;
      spec.work_dir = program.dir.string();
      spec.stdin_path = program.input.string();
      spec.stdout_path = (program.dir / ("out" + std::to_string(index))).string();
      spec.limits.cpu_ms = 1000, spec.limits.wall_ms = 3000;
      spec.limits.memory_kib = 262144, spec.limits.processes = 64;
      box.run(spec);  // Starts the helper: not counted.
      for (int i = 0; i < runs; ++i) {
        auto start = Clock::now();
        auto r = box.run(spec);
        ms[size_t(index)].push_back(ms_since(start));
        if (!r.exited || r.exit_code != 0) throw std::runtime_error("sandboxed run failed");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "\nsandbox: %s\n", e.what());
      failed = true;
    }
  };
  auto start = Clock::now();
  const double cpu_start = bench::tree_cpu_seconds(::getpid());
  std::vector<std::thread> threads;
  for (int i = 0; i < boxes; ++i) threads.emplace_back(box_loop, i);
  for (auto& t : threads) t.join();
  const double seconds = ms_since(start) / 1000;
  const double total_runs = double(boxes) * runs;
  if (failed) throw std::runtime_error("the sandbox alone failed");
  std::vector<double> all;
  for (const auto& v : ms) all.insert(all.end(), v.begin(), v.end());
  return {total_runs / seconds, bench::stats(all),
          (bench::tree_cpu_seconds(::getpid()) - cpu_start) * 1000 / total_runs};
}

// --- 2. The pipeline --------------------------------------------------------------------------

struct Api {
  Api(const std::string& database_url, const std::string& redis_url)
      : port(bench::free_port()),
        process({JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port),
                 "--submit-rate-limit", "0"},
                {"DATABASE_URL=" + database_url, "REDIS_URL=" + redis_url,
                 "JWT_SECRET=pipeline-bench-secret", "JUDGE_LOG_LEVEL=warn"}) {
    if (!bench::wait_until_serving(port, kServeTimeoutMs))
      throw std::runtime_error("judge-api did not come up on port " + std::to_string(port));
    bench::HttpClient client(port);
    auto r = client.request("POST", "/api/auth/login",
                            json{{"username", "jury"}, {"password", kJuryPassword}}.dump(),
                            {{"Content-Type", "application/json"}});
    if (r.status != 200) throw std::runtime_error("login: " + r.body);
    token = json::parse(r.body).at("token");
  }
  int port;
  bench::Child process;
  std::string token;
};

// POSTs one submission; returns its id.
int64_t submit(bench::HttpClient& client, const std::string& token, int n) {
  static const std::string path = std::string("/api/contests/") + kContest + "/submissions";
  json body = {{"problem_id", kProblem},
               {"language_id", "c"},
               {"source", kSource},
               {"team_id", "team" + std::to_string(1 + n % kTeams)}};
  auto r =
      client.request("POST", path, body.dump(),
                     {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  if (r.status != 202)
    throw std::runtime_error("POST submission: " + std::to_string(r.status) + " " + r.body);
  return std::stoll(json::parse(r.body).at("id").get<std::string>());
}

// One worker process, its output in a log file of its own.
struct Worker {
  Worker(const Config& c, const std::string& database_url, const fs::path& dir, int index)
      : log((dir / ("worker" + std::to_string(index) + ".log")).string()),
        metrics_port(bench::free_port()),
        process({JUDGE_WORKER_PATH, "--worker-id", "bench-" + std::to_string(index), "--work-root",
                 (dir / ("work" + std::to_string(index))).string(), "--languages", "c",
                 "--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port)},
                {"DATABASE_URL=" + database_url, "REDIS_URL=" + c.redis_url, "JUDGE_LOG_LEVEL=info",
                 "PATH=/usr/bin:/bin"},
                log) {}
  std::string log;
  int metrics_port;
  bench::Child process;
};

// Where one submission's time went in its worker, from the `judged` log line (milliseconds).
using Phases = std::map<std::string, double>;

std::map<int64_t, Phases> judged_lines(const std::string& log) {
  std::map<int64_t, Phases> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    auto at = line.find(" judged submission=");
    if (at == std::string::npos) continue;
    std::istringstream words(line.substr(at + 1));
    int64_t id = 0;
    Phases phases;
    for (std::string word; words >> word;) {
      auto eq = word.find('=');
      if (eq == std::string::npos) continue;
      std::string key = word.substr(0, eq), value = word.substr(eq + 1);
      if (key == "submission") id = std::stoll(value);
      if (key.size() > 3 && key.compare(key.size() - 3, 3, "_ms") == 0)
        phases[key.substr(0, key.size() - 3)] = std::stod(value);
    }
    out[id] = phases;
  }
  return out;
}

// Submit-to-verdict facts of a set of submissions, read once every one is judged.
struct Judged {
  int64_t id;
  double e2e_ms, submitted_ms, ended_ms;
};

std::vector<Judged> wait_judged(const std::string& database_url, const std::vector<int64_t>& ids) {
  std::string array = "{";
  for (size_t i = 0; i < ids.size(); ++i) array += (i ? "," : "") + std::to_string(ids[i]);
  array += "}";
  pqxx::connection db(database_url);
  auto start = Clock::now();
  for (;;) {
    pqxx::work w(db);
    auto rows = w.exec_params(
        "SELECT s.id, EXTRACT(EPOCH FROM j.end_time - s.submitted_at) * 1000, "
        "EXTRACT(EPOCH FROM s.submitted_at) * 1000, EXTRACT(EPOCH FROM j.end_time) * 1000, "
        "j.verdict, (SELECT count(*) FROM judgements k WHERE k.submission_id = s.id) "
        "FROM submissions s JOIN judgements j ON j.submission_id = s.id AND j.is_current "
        "WHERE s.id = ANY($1::bigint[])",
        array);
    if (rows.size() == ids.size()) {
      std::vector<Judged> out;
      for (const auto& r : rows) {
        if (r[4].as<std::string>() != "AC" || r[5].as<int>() != 1)
          throw std::runtime_error("submission " + r[0].as<std::string>() + " judged " +
                                   r[4].as<std::string>() + " in " + r[5].as<std::string>() +
                                   " judgement(s); expected AC once");
        out.push_back(
            {r[0].as<int64_t>(), r[1].as<double>(), r[2].as<double>(), r[3].as<double>()});
      }
      return out;
    }
    if (ms_since(start) > kJudgedTimeoutMs)
      throw std::runtime_error(std::to_string(ids.size() - rows.size()) + " of " +
                               std::to_string(ids.size()) + " submissions not judged in time");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Submits one at a time until every worker has judged at least once.
void warm_up(Api& api, const std::string& database_url,
             const std::vector<std::unique_ptr<Worker>>& workers) {
  bench::HttpClient client(api.port);
  for (int n = 0; n < 40; ++n) {
    wait_judged(database_url, {submit(client, api.token, n)});
    bool all = true;
    for (const auto& w : workers) all = all && !judged_lines(w->log).empty();
    if (all) return;
  }
  throw std::runtime_error("a worker judged nothing in 40 warm-up submissions");
}

std::vector<int64_t> submit_at_rate(Api& api, int rate, int seconds) {
  bench::HttpClient client(api.port);
  std::vector<int64_t> ids;
  const int total = rate * seconds;
  auto start = Clock::now();
  for (int i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start + std::chrono::microseconds(int64_t(i) * 1'000'000 / rate));
    ids.push_back(submit(client, api.token, i));
    if ((i + 1) % rate == 0 || i + 1 == total)
      std::fprintf(stderr, "\r  fixed rate: %d/%d submitted", i + 1, total);
  }
  std::fprintf(stderr, "\n");
  return ids;
}

std::vector<int64_t> submit_flat_out(Api& api, int total) {
  std::vector<int64_t> ids;
  std::mutex mutex;
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kFlatClients; ++c)
    clients.emplace_back([&] {
      try {
        bench::HttpClient client(api.port);
        for (int n; (n = next++) < total;) {
          int64_t id = submit(client, api.token, n);
          std::lock_guard lock(mutex);
          ids.push_back(id);
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "\nsubmit: %s\n", e.what());
        failed = true;
      }
    });
  for (auto& t : clients) t.join();
  if (failed) throw std::runtime_error("flat-out submitting failed");
  return ids;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * double(v.size() - 1))];
}

std::string setup_text(int workers) {
  return bench::format(
      "%d worker process%s x %u slots, release API, C sum program, 1 test, "
      "compile cache warm",
      workers, workers == 1 ? "" : "es", std::thread::hardware_concurrency());
}

// Per submission: submit to the commit of its verdict, and its worker phases.
struct Timed {
  double e2e_ms = 0;
  Phases phases;
};

std::vector<Timed> join_phases(const std::vector<Judged>& judged,
                               const std::map<int64_t, Phases>& phases) {
  std::vector<Timed> out;
  for (const auto& j : judged) {
    auto p = phases.find(j.id);
    if (p == phases.end())
      throw std::runtime_error("no judged log line for " + std::to_string(j.id));
    // end_time is the recording transaction's start: the verdict is committed about record_ms
    // later, where the submission's time ends.
    out.push_back({j.e2e_ms + p->second.at("record"), p->second});
  }
  return out;
}

// "API + queue a, claim b, ...": p50 of each phase; API + queue is what the worker's phases
// leave of submit to verdict (the API's insert and push, the wait in Redis).
std::string breakdown(const std::vector<Timed>& timed) {
  std::vector<double> rest;
  std::map<std::string, std::vector<double>> by_phase;
  for (const auto& t : timed) {
    double in_worker = 0;
    for (const auto& [name, ms] : t.phases) {
      by_phase[name].push_back(ms);
      in_worker += ms;
    }
    rest.push_back(t.e2e_ms - in_worker);
  }
  std::string text = bench::format("API + queue %.2f", percentile(rest, 0.5));
  for (const char* name :
       {"claim", "load", "testdata", "setup", "compile", "runs", "compare", "record"})
    text += bench::format(", %s %.2f", name, percentile(by_phase[name], 0.5));
  return text;
}

// Fixed-rate rows: latency, time outside compile and runs, and the breakdown.
void fixed_rate_rows(const Config& c, int workers, const std::vector<Timed>& timed,
                     std::vector<bench::Row>& rows) {
  std::vector<double> e2e, outside;
  for (const auto& t : timed) {
    e2e.push_back(t.e2e_ms);
    outside.push_back(t.e2e_ms - t.phases.at("compile") - t.phases.at("runs"));
  }
  const std::string setup = setup_text(workers);
  const std::string samples = bench::format("%zu submissions", timed.size());
  rows.push_back(
      {"pipeline", bench::format("submit to verdict at %d submissions/s", c.rate), setup, samples,
       bench::format("p50 %.1f ms, p99 %.1f ms", percentile(e2e, 0.5), percentile(e2e, 0.99)), ""});
  const double outside_p50 = percentile(outside, 0.5);
  rows.push_back({"pipeline",
                  "time outside compile and sandbox runs (submit to verdict minus both)", setup,
                  samples, bench::format("p50 %.2f ms", outside_p50),
                  bench::format("target <= %.0f ms: %s", kOutsideTargetMs,
                                bench::verdict(outside_p50, kOutsideTargetMs, true).c_str())});
  rows.push_back({"pipeline",
                  "where a submission's time goes at a fixed rate (p50 of each, ms; "
                  "compile = cache hit)",
                  setup, samples, breakdown(timed), ""});
}

std::map<int64_t, Phases> fleet_phases(const std::vector<std::unique_ptr<Worker>>& fleet) {
  std::map<int64_t, Phases> phases;
  for (const auto& w : fleet)
    for (auto& [id, p] : judged_lines(w->log)) phases[id] = p;
  return phases;
}

// CPU seconds so far: the API's, the worker processes' (with their boxes), the Postgres
// server's (every backend: the postmaster's tree) and the whole machine's.
struct CpuUse {
  double api = 0, workers = 0, postgres = 0, machine = 0;
  CpuUse operator-(const CpuUse& o) const {
    return {api - o.api, workers - o.workers, postgres - o.postgres, machine - o.machine};
  }
};

int postmaster_pid(const std::string& database_url) {
  pqxx::connection db(database_url);
  const int backend = pqxx::nontransaction(db).exec1("SELECT pg_backend_pid()")[0].as<int>();
  std::ifstream in("/proc/" + std::to_string(backend) + "/stat");
  std::string stat;
  std::getline(in, stat);
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string state;
  int ppid = 0;
  fields >> state >> ppid;
  if (ppid <= 1) throw std::runtime_error("cannot find the Postgres server's process");
  return ppid;
}

CpuUse cpu_use(Api& api, const std::vector<std::unique_ptr<Worker>>& fleet, int postmaster) {
  CpuUse use{bench::tree_cpu_seconds(api.process.pid()), 0,
             bench::tree_cpu_seconds(postmaster), bench::machine_cpu_seconds()};
  for (const auto& w : fleet) use.workers += bench::tree_cpu_seconds(w->process.pid());
  return use;
}

// The breakdown is also on /metrics, from the same measurements.
void check_phase_metric(const Worker& worker) {
  bench::HttpClient client(worker.metrics_port);
  auto r = client.get("/metrics");
  if (r.status != 200 ||
      r.body.find("judge_worker_phase_seconds_count{phase=\"record\"}") == std::string::npos)
    throw std::runtime_error("worker /metrics lacks judge_worker_phase_seconds{phase=\"record\"}");
}

void run_pipeline(const Config& c, const std::string& database_url, Api& api, int workers,
                  double floor_per_second, double sandbox_cpu_ms, const fs::path& dir,
                  std::vector<bench::Row>& rows) {
  std::fprintf(stderr, "pipeline with %d worker process(es): starting\n", workers);
  std::vector<std::unique_ptr<Worker>> fleet;
  for (int i = 0; i < workers; ++i)
    fleet.push_back(std::make_unique<Worker>(c, database_url, dir, i));
  warm_up(api, database_url, fleet);
  std::fprintf(stderr, "  warm: every worker judged once\n");

  auto rated = wait_judged(database_url, submit_at_rate(api, c.rate, c.seconds));
  fixed_rate_rows(c, workers, join_phases(rated, fleet_phases(fleet)), rows);
  for (const auto& w : fleet) check_phase_metric(*w);

  std::fprintf(stderr, "  flat out: %d submissions from %d connections\n", c.flat, kFlatClients);
  const int postmaster = postmaster_pid(database_url);
  const CpuUse cpu_before = cpu_use(api, fleet, postmaster);
  auto flat = wait_judged(database_url, submit_flat_out(api, c.flat));
  const CpuUse cpu = cpu_use(api, fleet, postmaster) - cpu_before;
  double first = flat.front().submitted_ms, last = flat.front().ended_ms;
  std::vector<double> e2e;
  for (const auto& j : flat) {
    first = std::min(first, j.submitted_ms);
    last = std::max(last, j.ended_ms);
    e2e.push_back(j.e2e_ms);
  }
  const double per_second = double(flat.size()) / ((last - first) / 1000);
  const double ratio = per_second / floor_per_second;
  rows.push_back({"pipeline", "flat out: judged per second (first submit to last verdict)",
                  setup_text(workers), bench::format("%zu submissions", flat.size()),
                  bench::format("%.0f/s; submit to verdict p50 %.0f ms, p99 %.0f ms", per_second,
                                percentile(e2e, 0.5), percentile(e2e, 0.99)),
                  bench::format("%.0f%% of the sandbox alone (target >= %.0f%%): %s", ratio * 100,
                                kThroughputTarget * 100,
                                bench::verdict(ratio, kThroughputTarget, false).c_str())});
  rows.push_back({"pipeline", "where a submission's time goes flat out (p50 of each, ms)",
                  setup_text(workers), bench::format("%zu submissions", flat.size()),
                  breakdown(join_phases(flat, fleet_phases(fleet))), ""});
  const double n = static_cast<double>(flat.size());
  rows.push_back(
      {"pipeline", "CPU per judged submission, flat out (all cores)", setup_text(workers),
       bench::format("%zu submissions", flat.size()),
       bench::format("%.2f ms: API %.2f, workers with their boxes %.2f, Postgres %.2f; the "
                     "machine's other use (Redis, this client, other jobs) %.2f",
                     (cpu.api + cpu.workers + cpu.postgres) * 1000 / n, cpu.api * 1000 / n,
                     cpu.workers * 1000 / n, cpu.postgres * 1000 / n,
                     (cpu.machine - cpu.api - cpu.workers - cpu.postgres) * 1000 / n),
       bench::format("sandbox alone: %.2f ms per run", sandbox_cpu_ms)});
  for (auto& w : fleet) w->process.stop();
}

int run(const Config& c) {
  bench::BenchDatabase db(c.database_url, "pipeline_bench", c.keep_database);
  db.migrate(JUDGECTL_PATH, JUDGE_MIGRATIONS_DIR);
  core::Store store(db.url());
  seed(store);
  TempDir tmp;
  std::vector<bench::Row> rows;

  std::fprintf(stderr, "sandbox alone: %d runs per box\n", c.sandbox_runs);
  Compiled program = compile_solution(c_language(core::ContestReads(store).languages()), tmp.path);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  SandboxAlone floor;
  for (int boxes : {1, cores}) {
    floor = sandbox_alone(program, boxes, c.sandbox_runs);
    rows.push_back({"pipeline", "sandbox alone: the solution on its test (Box::run)",
                    bench::format("%d box%s at once", boxes, boxes == 1 ? "" : "es"),
                    bench::format("%d runs", boxes * c.sandbox_runs),
                    bench::format("%.0f runs/s; per run median %.2f ms, p99 %.2f ms; CPU %.2f "
                                  "ms per run (all cores)",
                                  floor.per_second, floor.ms.median, floor.ms.p99,
                                  floor.cpu_ms_per_run),
                    ""});
    if (cores == 1) break;
  }

  Api api(db.url(), c.redis_url);
  for (int workers = 1; workers <= c.max_workers; ++workers)
    run_pipeline(c, db.url(), api, workers, floor.per_second, floor.cpu_ms_per_run, tmp.path,
                 rows);
  bench::report(rows);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main("pipeline_bench", [&] { return run(parse(argc, argv)); });
}
