// End to end: a package imported through judge-api is judged by a real judge-worker (its tests,
// limits and validator flags as stored by the import), an AC and a WA submission.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
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

constexpr int kRedisDb = 12;
constexpr int kStartupMs = 30000;
constexpr int kJudgeMs = 120000;

// tests/packages/good as a zip (entries at the top level: the id comes from ?id=).
std::string good_zip() {
  return testenv::zip_folder(std::string(PACKAGES_DIR) + "/good");
}

TEST(PackageEndToEnd, ImportedProblemJudgesAcAndWa) {
  testenv::FreshDatabase db;
  const std::string cid = "pe" + std::to_string(getpid());
  core::Store store(db.url());
  harness::seed_contest(store, cid, {"t1"});
  core::AccountStore(store).upsert_user("jury", core::hash_password("pw"), core::Role::Jury,
                                        std::nullopt);
  const std::string redis_url = testenv::redis_url() + "/" + std::to_string(kRedisDb);

  const int port = testenv::free_port();
  testenv::Process api({JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
                       {"DATABASE_URL=" + db.url(), "REDIS_URL=" + redis_url,
                        "JWT_SECRET=package-e2e", "JUDGE_LOG_LEVEL=warn"});
  ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs));
  const std::string token = testenv::login(port, "jury", "pw");
  auto r =
      testenv::http(port, "POST", "/api/contests/" + cid + "/problems?id=pkg&label=P", good_zip(),
                    {{"Content-Type", "application/zip"}, {"Authorization", "Bearer " + token}});
  ASSERT_EQ(r.status, 201) << r.body;

  const fs::path work = fs::temp_directory_path() / ("package-e2e-" + std::to_string(getpid()));
  fs::create_directories(work);
  auto worker = harness::start_worker(db.url(), redis_url, "pw1", (work / "pw1").string(), {});
  core::RedisAddress address = testenv::redis_address();
  address.db = kRedisDb;
  core::Queue queue(address);
  std::map<int64_t, std::string> expected;
  for (const auto* program : {&harness::kPythonAC, &harness::kPythonWA}) {
    auto s = core::SubmissionStore(store).create_submission(
        {cid, "t1", "pkg", program->language, program->source});
    queue.push({s.id, cid});
    expected[s.id] = program->verdict;
  }
  EXPECT_TRUE(testenv::eventually(
      [&] { return db.scalar("SELECT count(*) FROM submissions WHERE state = 'judged'") == "2"; },
      kJudgeMs));
  for (const auto& [id, verdict] : expected) {
    EXPECT_EQ(db.scalar("SELECT verdict FROM judgements WHERE is_current AND submission_id = " +
                        std::to_string(id)),
              verdict);
  }
  // The AC ran every imported test (1 sample + 4 secret).
  EXPECT_EQ(db.scalar("SELECT count(*) FROM runs JOIN judgements j ON j.id = runs.judgement_id "
                      "WHERE j.is_current AND j.verdict = 'AC'"),
            "5");
  EXPECT_EQ(worker->stop(30000), 0);
  EXPECT_EQ(api.stop(), 0);
  fs::remove_all(work);
}

}  // namespace
