// End to end: the custom validator package (tests/packages/validator_perm) and the interactive
// one (interactive_guess) imported through judge-api and judged by a real judge-worker, an AC and
// a WA submission each (and a validator that does not compile: JE); the validator's
// judgemessage.txt reaches the jury's runs, not the team's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/queue.h"
#include "core/submission_store.h"
#include "test_env.h"
#include "worker_harness.h"
#include "zip_builder.h"

namespace {

namespace fs = std::filesystem;

constexpr int kRedisDb = 14;
constexpr int kStartupMs = 30000;
constexpr int kJudgeMs = 180000;

std::string package_zip(const std::string& name) {
  return testenv::zip_folder(std::string(PACKAGES_DIR) + "/" + name);
}

const char* kPermAC = "n = int(input())\nprint(*range(n, 0, -1))\n";
const char* kPermWA = "n = int(input())\nprint(*([1] * n))\n";
const char* kGuessAC =
    "lo, hi = 1, 1000\n"
    "while True:\n"
    "    mid = (lo + hi) // 2\n"
    "    print(mid, flush=True)\n"
    "    reply = input().strip()\n"
    "    if reply == 'correct':\n"
    "        break\n"
    "    if reply == 'higher':\n"
    "        lo = mid + 1\n"
    "    else:\n"
    "        hi = mid - 1\n";
const char* kGuessWA = "while True:\n    print(500, flush=True)\n    input()\n";

TEST(ValidatorEndToEnd, CustomAndInteractivePackagesJudgeAcAndWa) {
  testenv::FreshDatabase db;
  const std::string cid = "ve" + std::to_string(getpid());
  core::Store store(db.url());
  core::AccountStore accounts(store);
  harness::seed_contest(store, cid, {"t1"});
  accounts.upsert_user("jury", core::hash_password("pw"), core::Role::Jury, std::nullopt);
  accounts.upsert_user("team1", core::hash_password("pw"), core::Role::Team, "t1");
  const std::string redis_url = testenv::redis_url() + "/" + std::to_string(kRedisDb);

  const int port = testenv::free_port();
  testenv::Process api({JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
                       {"DATABASE_URL=" + db.url(), "REDIS_URL=" + redis_url,
                        "JWT_SECRET=validator-e2e", "JUDGE_LOG_LEVEL=warn"});
  ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs));
  const std::string token = testenv::login(port, "jury", "pw");
  for (const auto& [package, id] :
       {std::pair{"validator_perm", "perm"}, std::pair{"interactive_guess", "guess"},
        std::pair{"validator_broken", "broken"}}) {
    auto r =
        testenv::http(port, "POST", "/api/contests/" + cid + "/problems?id=" + id + "&label=" + id,
                      package_zip(package),
                      {{"Content-Type", "application/zip"}, {"Authorization", "Bearer " + token}});
    ASSERT_EQ(r.status, 201) << package << ": " << r.body;
  }

  const fs::path work = fs::temp_directory_path() / ("validator-e2e-" + std::to_string(getpid()));
  fs::create_directories(work);
  auto worker = harness::start_worker(db.url(), redis_url, "vw1", (work / "vw1").string(), {});
  core::RedisAddress address = testenv::redis_address();
  address.db = kRedisDb;
  core::Queue queue(address);
  struct Case {
    const char* problem;
    const char* source;
    const char* verdict;
  };
  std::map<int64_t, std::string> expected;
  for (const Case& c :
       {Case{"perm", kPermAC, "AC"}, Case{"perm", kPermWA, "WA"}, Case{"guess", kGuessAC, "AC"},
        Case{"guess", kGuessWA, "WA"}, Case{"broken", "print(1)\n", "JE"}}) {
    auto s =
        core::SubmissionStore(store).create_submission({cid, "t1", c.problem, "python3", c.source});
    queue.push({s.id, cid});
    expected[s.id] = c.verdict;
  }
  EXPECT_TRUE(testenv::eventually(
      [&] { return db.scalar("SELECT count(*) FROM submissions WHERE state = 'judged'") == "5"; },
      kJudgeMs));
  for (const auto& [id, verdict] : expected) {
    EXPECT_EQ(db.scalar("SELECT verdict FROM judgements WHERE is_current AND submission_id = " +
                        std::to_string(id)),
              verdict)
        << "submission " << id << ": "
        << db.scalar("SELECT compile_output FROM judgements WHERE submission_id = " +
                     std::to_string(id));
  }
  // The validator that does not compile: JE at once (no retries), the compiler's output kept.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions WHERE problem_id = 'broken' AND "
                      "failures = 0"),
            "1");
  EXPECT_NE(db.scalar("SELECT compile_output FROM judgements j JOIN submissions s ON "
                      "s.id = j.submission_id WHERE s.problem_id = 'broken'")
                .find("does not compile"),
            std::string::npos);
  // Every AC ran every test (perm: 2, guess: 2); the validators' messages were kept.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM runs JOIN judgements j ON j.id = runs.judgement_id "
                      "WHERE j.is_current AND j.verdict = 'AC'"),
            "4");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM runs WHERE judge_message LIKE 'not a permutation%'"),
            "1");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM runs WHERE judge_message = 'too many guesses\n'"), "1");

  // The jury sees judge_message in the runs; the team never does.
  auto jury_runs = testenv::http(port, "GET", "/api/contests/" + cid + "/runs", "",
                                 {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(jury_runs.status, 200) << jury_runs.body;
  EXPECT_NE(jury_runs.body.find("judge_message"), std::string::npos) << jury_runs.body;
  auto team_runs =
      testenv::http(port, "GET", "/api/contests/" + cid + "/runs", "",
                    {{"Authorization", "Bearer " + testenv::login(port, "team1", "pw")}});
  ASSERT_EQ(team_runs.status, 200) << team_runs.body;
  EXPECT_NE(team_runs.body.find("judgement_type_id"), std::string::npos) << team_runs.body;
  EXPECT_EQ(team_runs.body.find("judge_message"), std::string::npos) << team_runs.body;

  EXPECT_EQ(worker->stop(30000), 0);
  EXPECT_EQ(api.stop(), 0);
  fs::remove_all(work);
}

}  // namespace
