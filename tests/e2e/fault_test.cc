// The fault-injection test of issue 5: three judge-worker processes judge 300 submissions with
// known verdicts while a random worker is killed with SIGKILL every couple of seconds (and
// restarted), Redis is restarted (losing its lists) and flushed, Postgres is restarted, and a
// judging worker is paused past its lease twice (its late result must be refused). At
// the end every submission must have exactly one judgement, the expected one, none may be stuck
// and none may be JE. It starts Postgres and Redis of its own (scripts/postgres, scripts/redis)
// because it restarts them, which must not disturb the other tests.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "core/migrate.h"
#include "core/queue.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "test_env.h"
#include "worker_harness.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kSubmissions = 300;
constexpr int kWorkers = 3;
constexpr const char* kContest = "fault";
constexpr const char* kDirPrefix = "judge-fault-";

void log(const std::string& line) {
  std::printf("[fault] %s\n", line.c_str());
  std::fflush(stdout);
}

std::string script(const std::string& name) { return testenv::source_dir() + "/scripts/" + name; }

// Runs a shell command, its output appended to log_file; true on exit status 0.
bool shell(const std::string& command, const fs::path& log_file) {
  return std::system((command + " >>'" + log_file.string() + "' 2>&1").c_str()) == 0;
}

// Servers of a run that was killed before it could stop them (its pid is gone).
void clean_up_after_killed_runs() {
  for (const auto& entry : fs::directory_iterator(fs::temp_directory_path())) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kDirPrefix, 0) != 0) continue;
    int pid = std::atoi(name.c_str() + std::strlen(kDirPrefix));
    if (pid <= 0 || ::kill(pid, 0) == 0) continue;
    shell(script("redis") + " stop '" + (entry.path() / "redis").string() + "'", "/dev/null");
    shell(script("postgres") + " stop '" + (entry.path() / "pg").string() + "'", "/dev/null");
    fs::remove_all(entry.path());
  }
}

// Postgres and Redis of this test alone, on free ports, stopped and deleted at the end.
class OwnServers {
 public:
  OwnServers() : dir_(fs::temp_directory_path() / (kDirPrefix + std::to_string(getpid()))) {
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    pg_port_ = testenv::free_port();
    redis_port_ = testenv::free_port();
    while (redis_port_ == pg_port_) redis_port_ = testenv::free_port();
  }
  ~OwnServers() {
    stop_redis();
    stop_postgres();
    fs::remove_all(dir_);
  }
  bool start_postgres() {
    return shell("JUDGE_PG_FAST=1 " + script("postgres") + " start '" + (dir_ / "pg").string() +
                     "' " + std::to_string(pg_port_),
                 log_file());
  }
  bool stop_postgres() {
    return shell(script("postgres") + " stop '" + (dir_ / "pg").string() + "'", log_file());
  }
  // No persistence: a restarted Redis has lost every list, as after a crash.
  bool start_redis() {
    return shell("JUDGE_REDIS_PERSIST=0 " + script("redis") + " start '" +
                     (dir_ / "redis").string() + "' " + std::to_string(redis_port_),
                 log_file());
  }
  bool stop_redis() {
    return shell(script("redis") + " stop '" + (dir_ / "redis").string() + "'", log_file());
  }
  std::string database_url() const {
    return "postgresql://judge@127.0.0.1:" + std::to_string(pg_port_) + "/judge";
  }
  std::string redis_url() const { return "redis://127.0.0.1:" + std::to_string(redis_port_); }
  core::RedisAddress redis_address() const { return {"127.0.0.1", redis_port_, 0}; }
  const fs::path& dir() const { return dir_; }
  fs::path log_file() const { return dir_ / "servers.log"; }

 private:
  fs::path dir_;
  int pg_port_ = 0, redis_port_ = 0;
};

// Sums a counter over every incarnation of the workers: each is read just before it is killed.
struct Tally {
  double lease_expired = 0, unclaimed = 0, retried = 0, lease_lost = 0, judged = 0;
  void add(const std::string& metrics) {
    lease_expired += harness::metric(metrics, "judge_worker_requeued_total{reason=\"lease_expired\"}");
    unclaimed += harness::metric(metrics, "judge_worker_requeued_total{reason=\"unclaimed\"}");
    retried += harness::metric(metrics, "judge_worker_submissions_total{outcome=\"retried\"}");
    lease_lost += harness::metric(metrics, "judge_worker_submissions_total{outcome=\"lease_lost\"}");
    judged += harness::metric(metrics, "judge_worker_submissions_total{outcome=\"judged\"}");
  }
};

class FaultInjection : public ::testing::Test {
 protected:
  struct Worker {
    std::unique_ptr<testenv::Process> process;
    int metrics_port = 0;
  };

  void start_worker(int index) {
    Worker& w = workers_[index];
    w.metrics_port = testenv::free_port();
    std::string id = "fault-w" + std::to_string(index) + "." + std::to_string(incarnations_++);
    // Short leases and sweeps so that killed workers' submissions come back within seconds;
    // enough attempts that kills alone never turn into JE.
    w.process = harness::start_worker(
        servers_.database_url(), servers_.redis_url(), id,
        (servers_.dir() / "work" / std::to_string(index)).string(),
        {"--slots", "1", "--lease-seconds", "3", "--sweep-seconds", "1", "--stale-seconds", "3",
         "--max-attempts", "10", "--retry-base-ms", "200", "--grace-seconds", "5",
         "--metrics-listen", "127.0.0.1:" + std::to_string(w.metrics_port)});
  }
  std::string scrape(const Worker& w) {
    try {
      return testenv::http(w.metrics_port, "GET", "/metrics").body;
    } catch (const std::exception&) {
      return "";  // Not serving yet.
    }
  }
  void kill_and_restart(int index) {
    Worker& w = workers_[index];
    tally_.add(scrape(w));
    ::kill(w.process->pid(), SIGKILL);
    w.process.reset();  // Reaps it.
    ++kills_;
    start_worker(index);
  }

  // A worker that stops (SIGSTOP: a long GC pause, a frozen VM) past its lease while judging:
  // the sweeper hands its submission to another worker, and its late result must be refused.
  void pause_a_busy_worker(std::mt19937& random) {
    int chosen = static_cast<int>(random() % kWorkers);
    for (int i = 0; i < kWorkers; ++i)
      if (harness::metric(scrape(workers_[i]), "judge_worker_busy_slots") == 1) chosen = i;
    log("pausing worker " + std::to_string(chosen) + " for 6 s");
    ::kill(workers_[chosen].process->pid(), SIGSTOP);
    std::this_thread::sleep_for(seconds(6));  // Lease 3 s + a sweep + slack.
    ::kill(workers_[chosen].process->pid(), SIGCONT);
  }

  // Inserts the submissions as judge-api does: the row, then the queue item. A push that fails
  // (Redis is down) is left to the sweeper, as the API leaves it.
  void submit_all() {
    const harness::Program* mix[] = {&harness::kPythonAC,  &harness::kPythonAC, &harness::kPythonAC,
                                     &harness::kPythonWA,  &harness::kPythonRTE, &harness::kCAC,
                                     &harness::kCAC,       &harness::kCWA,      &harness::kCCE,
                                     &harness::kPythonTLE};
    core::Store store(servers_.database_url());
    core::Queue queue(servers_.redis_address());
    for (int i = 0; i < kSubmissions; ++i) {
      const harness::Program& p = *mix[i % 10];
      std::string team = "t" + std::to_string(i % 7 == 0 ? 0 : 1 + i % 5);  // t0 floods less.
      core::Submission s = create(store, {kContest, team, "sum", p.language, p.source});
      expected_[s.id] = p.verdict;
      try {
        queue.push({s.id, kContest});
      } catch (const core::QueueError&) {
        ++unpushed_;
      }
      std::this_thread::sleep_for(milliseconds(60));
    }
  }

  // Never while Postgres restarts, so no commit is ever in doubt: a failure (the connection
  // died in the restart) means nothing was stored, and the create is tried again.
  core::Submission create(core::Store& store, const core::NewSubmission& submission) {
    for (;;) {
      try {
        std::lock_guard lock(postgres_mutex_);
        return core::SubmissionStore(store).create_submission(submission);
      } catch (const core::StoreError&) {
        std::this_thread::sleep_for(milliseconds(100));
      }
    }
  }

  std::string sql(const std::string& query) {
    pqxx::connection c(servers_.database_url());
    pqxx::nontransaction w(c);
    auto r = w.exec(query);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
  }
  int judged_count() {
    try {
      return std::stoi(sql("SELECT count(*) FROM submissions WHERE state = 'judged'"));
    } catch (const std::exception&) {
      return -1;  // Postgres is restarting.
    }
  }

  OwnServers servers_;
  std::vector<Worker> workers_{kWorkers};
  int incarnations_ = 0;
  int kills_ = 0;
  int unpushed_ = 0;
  Tally tally_;
  std::mutex postgres_mutex_;
  std::map<int64_t, std::string> expected_;
};

TEST_F(FaultInjection, KilledWorkersAndRestartedServersLoseNothing) {
  clean_up_after_killed_runs();
  ASSERT_TRUE(servers_.start_postgres()) << "see " << servers_.log_file();
  ASSERT_TRUE(servers_.start_redis()) << "see " << servers_.log_file();
  core::migrate(servers_.database_url(), testenv::source_dir() + "/migrations",
                [](const std::string&) {});
  {
    core::Store store(servers_.database_url());
    harness::seed_contest(store, kContest, {"t0", "t1", "t2", "t3", "t4", "t5"}, 500);
  }
  for (int i = 0; i < kWorkers; ++i) start_worker(i);
  const auto started = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
  std::thread submitter([this] { submit_all(); });

  std::mt19937 random(12345);
  bool redis_restarted = false, flushed = false, postgres_restarted = false;
  int pauses = 0;
  // Chaos until everything is judged or 60 s passed, whichever comes first. Every fault falls
  // within the ~20 s the submitter needs, so none is skipped however fast the workers judge.
  while (elapsed() < 60 && judged_count() < kSubmissions) {
    std::this_thread::sleep_for(milliseconds(1500 + random() % 1000));
    kill_and_restart(static_cast<int>(random() % kWorkers));
    if (!redis_restarted && elapsed() > 3) {
      log("restarting Redis (its lists are lost)");
      EXPECT_TRUE(servers_.stop_redis());
      EXPECT_TRUE(servers_.start_redis());
      redis_restarted = true;
    } else if (!flushed && elapsed() > 7) {
      log("FLUSHDB");
      harness::Redis(servers_.redis_address()).flushdb();
      flushed = true;
    } else if (!postgres_restarted && elapsed() > 9) {
      log("restarting Postgres");
      std::lock_guard lock(postgres_mutex_);
      EXPECT_TRUE(servers_.stop_postgres());
      EXPECT_TRUE(servers_.start_postgres());
      postgres_restarted = true;
    } else if (pauses < 2 && elapsed() > 5 + 6 * pauses) {
      pause_a_busy_worker(random);
      ++pauses;
    }
  }
  submitter.join();
  log("chaos over after " + std::to_string(int(elapsed())) + " s: " + std::to_string(kills_) +
      " workers killed; waiting for the rest");
  EXPECT_TRUE(redis_restarted && flushed && postgres_restarted) << "every fault was injected";

  const bool done = testenv::eventually([&] { return judged_count() == kSubmissions; }, 240000);
  const double took = elapsed();
  for (auto& w : workers_) {
    // A worker restarted a moment ago may not handle signals yet: SIGTERM would just end it.
    EXPECT_TRUE(testenv::wait_until_serving(w.metrics_port, 30000));
    tally_.add(scrape(w));
    EXPECT_EQ(w.process->stop(30000), 0) << "worker exits cleanly on SIGTERM";
  }

  // Every submission: judged, exactly one judgement, the expected verdict.
  pqxx::connection c(servers_.database_url());
  pqxx::nontransaction w(c);
  auto rows = w.exec(
      "SELECT s.id, s.state, s.attempt, s.failures, count(j.id), "
      "string_agg(j.verdict, ',') FILTER (WHERE j.is_current) FROM submissions s "
      "LEFT JOIN judgements j ON j.submission_id = s.id GROUP BY s.id ORDER BY s.id");
  ASSERT_EQ(rows.size(), expected_.size()) << "no submission appeared from nowhere";
  int judged = 0, wrong = 0, stuck = 0, doubled = 0, releases = 0, failures = 0;
  for (const auto& r : rows) {
    int64_t id = r[0].as<int64_t>();
    std::string state = r[1].c_str(), verdict = r[5].is_null() ? "" : r[5].c_str();
    int judgements = r[4].as<int>();
    releases += r[2].as<int>() - 1;
    failures += r[3].as<int>();
    if (state != "judged") {
      ++stuck;
      ADD_FAILURE() << "submission " << id << " stuck in state " << state;
      continue;
    }
    ++judged;
    if (judgements != 1) {
      ++doubled;
      ADD_FAILURE() << "submission " << id << " has " << judgements << " judgements";
    }
    if (verdict != expected_.at(id)) {
      ++wrong;
      ADD_FAILURE() << "submission " << id << ": " << verdict << ", expected " << expected_.at(id);
    }
  }
  EXPECT_TRUE(done) << "not all judged within the time limit";
  EXPECT_EQ(w.exec("SELECT 1 FROM judgements WHERE verdict = 'JE'").size(), 0u) << "no JE";
  EXPECT_EQ(harness::Redis(servers_.redis_address()).llen(core::kDeadLetterKey), 0)
      << "no dead letters";
  log("submitted=" + std::to_string(expected_.size()) + " judged=" + std::to_string(judged) +
      " lost=" + std::to_string(int(expected_.size()) - judged) + " stuck=" + std::to_string(stuck) +
      " wrong=" + std::to_string(wrong) + " double=" + std::to_string(doubled));
  log("re-leased=" + std::to_string(releases) + " (extra claims, from the DB; sweeper lease_expired=" +
      std::to_string(int(tally_.lease_expired)) + ", unclaimed re-pushes=" +
      std::to_string(int(tally_.unclaimed)) + ") failures=" + std::to_string(failures) +
      " retried=" + std::to_string(int(tally_.retried)) + " refused late results=" +
      std::to_string(int(tally_.lease_lost)) + " unpushed=" + std::to_string(unpushed_));
  log("workers killed=" + std::to_string(kills_) + " wall=" + std::to_string(int(took)) + " s");
}

}  // namespace
