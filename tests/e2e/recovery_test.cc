// judge-worker processes on the real Postgres, Redis and sandbox (issue 5): duplicate queue
// items, internal errors that end as JE with a dead letter, SIGTERM with and without grace,
// /metrics and /healthz, and a flooding team that must not stall another; the sandbox self-check
// at start (issue 25): a worker reports its cgroup setup, and refuses a sandbox without limits.
// Submissions are created through core::Store and pushed like the API does.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/judging_store.h"
#include "core/queue.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "files.h"
#include "test_env.h"
#include "worker_harness.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using harness::Program;

constexpr int kRedisDb = 11;  // Ours alone: the workers pop every contest list they find.
constexpr const char* kContest = "rc";
const std::string kQueueKey = std::string(core::kSubmissionKeyPrefix) + kContest;

class WorkerRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_address = testenv::redis_address();
    redis_address.db = kRedisDb;
    redis_url = testenv::redis_url() + "/" + std::to_string(kRedisDb);
    redis = std::make_unique<harness::Redis>(redis_address);
    redis->flushdb();
    queue = std::make_unique<core::Queue>(redis_address);
    store = std::make_unique<core::Store>(db.url());
    harness::seed_contest(*store, kContest, {"ta", "tb"});
    work = fs::temp_directory_path() / ("recovery-" + std::to_string(getpid()));
    fs::create_directories(work);
  }
  void TearDown() override {
    for (auto& w : workers) {
      if (!w->running()) continue;
      EXPECT_EQ(w->stop(30000), 0) << "worker exits cleanly on SIGTERM";
    }
    workers.clear();
    redis->flushdb();
    fs::remove_all(work);
  }

  // Its log goes to log_file(id) when with_log is set.
  testenv::Process& worker(const std::string& id, std::vector<std::string> flags = {},
                           const std::string& box_helper = JUDGE_BOX_PATH, bool with_log = false) {
    workers.push_back(harness::start_worker(db.url(), redis_url, id, (work / id).string(), flags,
                                            box_helper, with_log ? log_file(id).string() : ""));
    return *workers.back();
  }
  fs::path log_file(const std::string& id) { return work / (id + ".log"); }
  // Creates the submission and pushes its item, as judge-api does.
  int64_t submit(const Program& program, const std::string& team = "ta",
                 const std::string& problem = "sum") {
    auto s = submission_store().create_submission(
        {kContest, team, problem, program.language, program.source});
    queue->push({s.id, kContest});
    return s.id;
  }
  std::string sql(const std::string& query) { return db.scalar(query); }
  std::string column(int64_t id, const std::string& name) {
    return sql("SELECT " + name + " FROM submissions WHERE id = " + std::to_string(id));
  }
  std::string verdict(int64_t id) {
    return sql("SELECT verdict FROM judgements WHERE is_current AND submission_id = " +
               std::to_string(id));
  }
  bool all_judged(size_t count, int timeout_ms) {
    return testenv::eventually(
        [&] {
          return sql("SELECT count(*) FROM submissions WHERE state = 'judged'") ==
                 std::to_string(count);
        },
        timeout_ms);
  }
  // Sends SIGTERM and waits for the exit; the exit status, or -1 after timeout_ms.
  int terminate(testenv::Process& p, int timeout_ms) { return p.stop(timeout_ms); }

  testenv::FreshDatabase db;
  core::RedisAddress redis_address;
  std::string redis_url;
  std::unique_ptr<harness::Redis> redis;
  std::unique_ptr<core::Queue> queue;
  // The persistence parts over `store` (core/<part>.h).
  core::JudgingStore judging_store() { return core::JudgingStore(*store); }
  core::SubmissionStore submission_store() { return core::SubmissionStore(*store); }
  std::unique_ptr<core::Store> store;
  fs::path work;
  std::vector<std::unique_ptr<testenv::Process>> workers;
};

TEST_F(WorkerRecovery, EveryItemDeliveredTwiceIsJudgedOnce) {
  worker("dup-w0");
  worker("dup-w1");
  const Program* programs[] = {&harness::kPythonAC, &harness::kPythonWA, &harness::kCAC,
                               &harness::kPythonRTE, &harness::kCCE};
  std::map<int64_t, std::string> expected;
  for (int i = 0; i < 10; ++i) {
    const Program& p = *programs[i % 5];
    int64_t id = submit(p, i % 2 ? "ta" : "tb");
    redis->lpush(kQueueKey, core::encode_queue_item({id, kContest}));  // The same item again.
    expected[id] = p.verdict;
  }
  ASSERT_TRUE(all_judged(expected.size(), 120000))
      << sql("SELECT string_agg(id || ':' || state, ' ') FROM submissions");
  ASSERT_TRUE(testenv::eventually([&] { return redis->llen(kQueueKey) == 0; }, 20000))
      << "the duplicates are consumed";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // A late double judging shows.
  for (const auto& [id, v] : expected) EXPECT_EQ(verdict(id), v) << "submission " << id;
  EXPECT_EQ(sql("SELECT count(*) FROM judgements"), std::to_string(expected.size()))
      << "one judgement per submission";
  EXPECT_EQ(sql("SELECT count(*) FROM submissions WHERE attempt <> 1 OR failures <> 0"), "0")
      << "each claimed once; a wrong program is never retried";
}

// A sandbox helper whose first start (the worker's self-check, before anything else starts a
// helper) is the real one, and every later start fails at once as /bin/false would: the sandbox
// broke after the worker started.
fs::path failing_after_check_helper(const fs::path& dir) {
  const fs::path path = dir / "failing-box";
  const fs::path started = dir / "failing-box.started";
  testenv::write_file(path, "#!/bin/sh\nif [ ! -e '" + started.string() + "' ]; then\n  : >'" +
                                started.string() + "'\n  exec '" + JUDGE_BOX_PATH +
                                "' \"$@\"\nfi\nexit 1\n");
  fs::permissions(path, fs::perms(0755));
  return path;
}

TEST_F(WorkerRecovery, AFailingSandboxIsRetriedThenJudgedJEWithADeadLetter) {
  // Every judging attempt fails inside the sandbox.
  worker("broken", {"--max-attempts", "3", "--retry-base-ms", "200", "--sweep-seconds", "1"},
         failing_after_check_helper(work).string());
  int64_t id = submit(harness::kPythonAC);
  ASSERT_TRUE(all_judged(1, 60000)) << "state " << column(id, "state");
  EXPECT_EQ(verdict(id), "JE");
  EXPECT_EQ(column(id, "attempt"), "3") << "judged three times, then given up";
  EXPECT_EQ(column(id, "failures"), "2") << "two failures were retried";
  EXPECT_EQ(sql("SELECT count(*) FROM judgements"), "1");
  auto compile_output = sql("SELECT compile_output FROM judgements WHERE submission_id = " +
                            std::to_string(id));
  EXPECT_NE(compile_output.find("judge error"), std::string::npos) << compile_output;

  auto dead = redis->lrange(core::kDeadLetterKey);
  ASSERT_EQ(dead.size(), 1u);
  auto letter = json::parse(dead[0]);
  EXPECT_EQ(letter["submission_id"], std::to_string(id));
  EXPECT_EQ(letter["contest_id"], kContest);
  EXPECT_EQ(letter["failures"], 3);
  EXPECT_EQ(letter["worker"], "broken");
  EXPECT_NE(letter["reason"].get<std::string>().find("helper exited"), std::string::npos)
      << "the reason names what failed: " << letter["reason"];
  EXPECT_EQ(redis->llen(kQueueKey), 0) << "the dead letter list is not a queue to pop";
}

TEST_F(WorkerRecovery, CorruptTestDataIsAnInternalErrorNotAVerdict) {
  worker("w-corrupt", {"--max-attempts", "2", "--retry-base-ms", "100", "--sweep-seconds", "1"});
  sql("UPDATE blobs SET data = 'garbage' WHERE sha256 IN (SELECT input_sha FROM testcases "
      "WHERE problem_id = 'slow')");
  int64_t broken = submit(harness::kPythonSlowAC, "ta", "slow");
  int64_t fine = submit(harness::kPythonWA, "tb");
  ASSERT_TRUE(all_judged(2, 60000));
  EXPECT_EQ(verdict(fine), "WA");
  EXPECT_EQ(verdict(broken), "JE");
  EXPECT_EQ(column(broken, "attempt"), "2");
  auto dead = redis->lrange(core::kDeadLetterKey);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(json::parse(dead[0])["reason"].get<std::string>().find("corrupt"), std::string::npos)
      << dead[0];
}

TEST_F(WorkerRecovery, SigtermWithGraceFinishesTheSubmissionInHand) {
  auto& w = worker("graceful", {"--grace-seconds", "30"});
  int64_t id = submit(harness::kPythonSlowAC, "ta", "slow");
  ASSERT_TRUE(testenv::eventually([&] { return column(id, "state") == "judging"; }, 30000));
  auto signalled = std::chrono::steady_clock::now();
  EXPECT_EQ(terminate(w, 30000), 0) << "exit 0 after finishing";
  EXPECT_EQ(column(id, "state"), "judged") << "finished before exiting";
  EXPECT_EQ(verdict(id), "AC");
  EXPECT_EQ(column(id, "attempt"), "1");
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(25));
}

TEST_F(WorkerRecovery, SigtermWithoutGraceReleasesTheSubmissionForAnotherWorker) {
  auto& first = worker("impatient", {"--grace-seconds", "0"});
  int64_t id = submit(harness::kPythonSlowAC, "ta", "slow");
  ASSERT_TRUE(testenv::eventually([&] { return column(id, "state") == "judging"; }, 30000));
  auto signalled = std::chrono::steady_clock::now();
  EXPECT_EQ(terminate(first, 10000), 0) << "exit 0 after releasing";
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(10))
      << "no grace: it does not wait (the default grace is 30 s)";
  EXPECT_EQ(column(id, "state"), "queued") << "released at once, not left to the lease";
  EXPECT_EQ(column(id, "lease_owner"), "");
  EXPECT_EQ(redis->llen(kQueueKey), 1) << "and pushed again";
  EXPECT_EQ(sql("SELECT count(*) FROM judgements"), "0") << "the abandoned run recorded nothing";

  worker("successor");
  ASSERT_TRUE(all_judged(1, 60000));
  EXPECT_EQ(verdict(id), "AC");
  EXPECT_EQ(column(id, "attempt"), "2");
  EXPECT_EQ(column(id, "failures"), "0") << "a release is not a failure";
  EXPECT_EQ(sql("SELECT judged_by FROM judgements WHERE submission_id = " + std::to_string(id)),
            "successor");
}

TEST_F(WorkerRecovery, MetricsAndHealthReportWhatWasJudged) {
  int port = testenv::free_port();
  worker("measured", {"--metrics-listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "no /healthz";
  auto health = testenv::http(port, "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  auto body = json::parse(health.body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["worker"], "measured");

  submit(harness::kPythonAC);
  submit(harness::kPythonAC, "tb");
  submit(harness::kPythonWA);
  submit(harness::kCCE, "tb");
  ASSERT_TRUE(all_judged(4, 120000));
  std::string text;
  // The counters move right after the record; give the last one a moment.
  EXPECT_TRUE(testenv::eventually(
      [&] {
        text = testenv::http(port, "GET", "/metrics").body;
        return harness::metric(text, "judge_worker_submissions_total{outcome=\"judged\"}") == 4;
      },
      5000))
      << text;
  EXPECT_EQ(harness::metric(text, "judge_worker_verdicts_total{verdict=\"AC\"}"), 2) << text;
  EXPECT_EQ(harness::metric(text, "judge_worker_verdicts_total{verdict=\"WA\"}"), 1);
  EXPECT_EQ(harness::metric(text, "judge_worker_verdicts_total{verdict=\"CE\"}"), 1);
  EXPECT_EQ(harness::metric(text, "judge_worker_judge_seconds_count"), 4);
  EXPECT_EQ(harness::metric(text, "judge_worker_queue_wait_seconds_count"), 4);
  EXPECT_EQ(harness::metric(text, "judge_worker_busy_slots"), 0);
  EXPECT_NE(text.find("# TYPE judge_worker_judge_seconds histogram"), std::string::npos);
  EXPECT_TRUE(testenv::eventually(
      [&] {
        text = testenv::http(port, "GET", "/metrics").body;
        return harness::metric(text, "judge_worker_sweeper_leader") == 1;
      },
      15000))
      << "the only worker leads the sweeper: " << text;
  EXPECT_EQ(testenv::http(port, "GET", "/nope").status, 404);
}

// Issue 6: the compile cache. A rejudge of unchanged code restores the binary instead of
// compiling; a corrupted entry is discarded and the code compiled again, same verdict.
TEST_F(WorkerRecovery, ARejudgeOfUnchangedCodeIsNotCompiledAgain) {
  int port = testenv::free_port();
  worker("cached", {"--metrics-listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "no /healthz";
  int64_t id = submit(harness::kCAC);
  ASSERT_TRUE(all_judged(1, 120000));
  EXPECT_EQ(verdict(id), "AC");
  auto cache_metric = [&](const std::string& result) {
    return harness::metric(testenv::http(port, "GET", "/metrics").body,
                           "judge_worker_compile_cache_total{result=\"" + result + "\"}");
  };
  auto rejudge_and_wait = [&](int judgements) {
    auto queued = judging_store().rejudge(kContest, {id}, std::nullopt);
    ASSERT_EQ(queued.size(), 1u);
    queue->push({queued[0].submission_id, queued[0].contest_id, queued[0].rejudge});
    ASSERT_TRUE(testenv::eventually(
        [&] {
          return sql("SELECT count(*) FROM judgements WHERE submission_id = " +
                     std::to_string(id)) == std::to_string(judgements) &&
                 column(id, "state") == "judged";
        },
        120000));
    EXPECT_EQ(verdict(id), "AC");
  };
  EXPECT_EQ(cache_metric("miss"), 1);
  EXPECT_EQ(cache_metric("hit"), 0);

  rejudge_and_wait(2);
  EXPECT_TRUE(testenv::eventually([&] { return cache_metric("hit") == 1; }, 5000));
  EXPECT_EQ(cache_metric("miss"), 1) << "the rejudge did not compile";

  // Flip a byte of every entry: the next rejudge must notice and compile again.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(work / "cached" / "compiled")) {
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(-1, std::ios::end);
    char last = 0;
    f.get(last);
    f.seekp(-1, std::ios::end);
    f.put(static_cast<char>(last ^ 1));
    ++entries;
  }
  ASSERT_EQ(entries, 1);
  rejudge_and_wait(3);
  EXPECT_TRUE(testenv::eventually([&] { return cache_metric("corrupt") == 1; }, 5000));
  EXPECT_EQ(cache_metric("hit"), 1);
}

// "v1" or "v2" as judge-box detects it at the cgroup root (the e2e tests run on the host).
std::string host_cgroup_version() {
  return fs::exists("/sys/fs/cgroup/cgroup.controllers") ? "v2" : "v1";
}

std::string kernel_release() {
  utsname u{};
  return ::uname(&u) == 0 ? u.release : "";
}

TEST_F(WorkerRecovery, AWorkerReportsItsSandboxSetupOnceTheSelfCheckPassed) {
  int port = testenv::free_port();
  worker("checked", {"--metrics-listen", "127.0.0.1:" + std::to_string(port)}, JUDGE_BOX_PATH,
         true);
  ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "no /healthz";
  int64_t id = submit(harness::kPythonAC);
  ASSERT_TRUE(all_judged(1, 60000)) << testenv::read_file(log_file("checked"));
  EXPECT_EQ(verdict(id), "AC");
  const std::string log = testenv::read_file(log_file("checked"));
  const std::string line = "sandbox self-check passed cgroup=" + host_cgroup_version() +
                           " kernel=" + kernel_release() + " memory=ok pids=ok cpu=ok ms=";
  const size_t at = log.find(line);
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_LT(at, log.find("language self-test done")) << "checked before the languages";
  const std::string series = "judge_worker_sandbox_info{cgroup=\"" + host_cgroup_version() +
                             "\",kernel=\"" + kernel_release() + "\"}";
  const std::string text = testenv::http(port, "GET", "/metrics").body;
  EXPECT_EQ(harness::metric(text, series), 1) << text;
  EXPECT_NE(text.find("# TYPE judge_worker_sandbox_info gauge"), std::string::npos);
}

TEST_F(WorkerRecovery, AWorkerWhoseSandboxLimitsDoNotApplyRefusesToStart) {
  int64_t id = submit(harness::kPythonAC);
  // Programs run for real there, with rlimits but without the cgroups' limits.
  auto& w = worker("unfit", {}, RLIMITS_ONLY_BOX_PATH, true);
  ASSERT_TRUE(testenv::eventually([&] { return !w.running(); }, 60000)) << "still running";
  const int status = w.stop();
  const std::string log = testenv::read_file(log_file("unfit"));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 3) << log;
  EXPECT_NE(log.find("worker refuses to start: the sandbox does not enforce memory,pids,cpu "
                     "(sandbox self-check failed cgroup=v1 kernel=" +
                     kernel_release() + " memory=missing pids=missing cpu=missing ms="),
            std::string::npos)
      << log;
  for (const char* reason :
       {"sandbox self-check failed: memory: a 64 MiB allocation under a 16 MiB limit was not "
        "stopped by the memory cgroup (exited=true exit_code=0",
        "sandbox self-check failed: pids: a shell starting 16 children under a limit of 4 "
        "processes was not stopped by the pids cgroup",
        // How the rlimits-only box ends the loops depends on the machine's load: the per-process
        // RLIMIT_CPU backstop, or the wall limit when the loops got little CPU. Either is a miss.
        "sandbox self-check failed: cpu: two busy loops under a 200 ms CPU limit were "})
    EXPECT_NE(log.find(reason), std::string::npos) << reason << "\n" << log;
  EXPECT_EQ(log.find("language self-test"), std::string::npos) << "no toolchain ran: " << log;
  EXPECT_EQ(column(id, "state"), "queued") << "nothing was claimed";
  EXPECT_EQ(redis->llen(kQueueKey), 1) << "nothing was popped";
}

TEST_F(WorkerRecovery, AWorkerWhoseSandboxCannotStartRefusesToStart) {
  auto& w = worker("no-box", {}, "/bin/false", true);
  ASSERT_TRUE(testenv::eventually([&] { return !w.running(); }, 60000)) << "still running";
  const int status = w.stop();
  const std::string log = testenv::read_file(log_file("no-box"));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 3) << log;
  EXPECT_NE(log.find("worker refuses to start: the sandbox could not run its self-check"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("helper exited 1"), std::string::npos) << "the helper's failure: " << log;
  EXPECT_NE(log.find("sandbox self-check could not run (attempt 1 of 2), trying again"),
            std::string::npos)
      << "one failure may pass, a second is refused: " << log;
}

TEST_F(WorkerRecovery, AFloodingTeamDoesNotStallAnotherTeam) {
  std::vector<int64_t> flood;
  for (int i = 0; i < 30; ++i) flood.push_back(submit(harness::kPythonAC, "ta"));
  int64_t single = submit(harness::kPythonAC, "tb");
  worker("fair", {"--slots", "1"});
  ASSERT_TRUE(testenv::eventually([&] { return verdict(single) == "AC"; }, 120000));
  // Judgement ids are in record order: how many were judged before team B's one?
  auto before = sql("SELECT count(*) FROM judgements WHERE id < (SELECT id FROM judgements WHERE "
                    "submission_id = " + std::to_string(single) + ")");
  EXPECT_LE(std::stoi(before), 2) << "team B waited behind " << before << " of team A's 30";
}

}  // namespace
