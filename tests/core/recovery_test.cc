// core::JudgingStore's recovery side against the real Postgres (issue 5): the fair claim, SKIP
// LOCKED, retries after internal errors, the sweeper's re-queueing and its one leader.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "core/judging_store.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using std::chrono::seconds;

class RecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = std::make_unique<core::Store>(db.url());
    setup_store().upsert_contest(
        {"c1", "Contest", "Contest", core::now_ms(), 3600000, std::nullopt, 20, "pass-fail"});
    core::NewProblem p;
    p.problem.contest_id = "c1";
    p.problem.id = "sum";
    p.problem.label = "A";
    p.problem.name = "Sum";
    p.tests = {{"1 2\n", "3\n", true}};
    setup_store().replace_problem(p);
    for (const char* team : {"ta", "tb", "tc", "td"}) {
      setup_store().upsert_team({team, team, team});
      setup_store().add_team_to_contest("c1", team);
    }
  }
  int64_t submit(const std::string& team) {
    return submission_store().create_submission({"c1", team, "sum", "c", "int main(){}"}).id;
  }
  std::string column(int64_t id, const std::string& name) {
    return db.scalar("SELECT " + name + " FROM submissions WHERE id = " + std::to_string(id));
  }
  void sql(const std::string& statement) { db.scalar(statement); }
  // Claims with claim_next until nothing is left; the ids in claim order.
  std::vector<int64_t> claim_all(core::Store& claimer, const std::string& worker) {
    std::vector<int64_t> ids;
    while (auto c = core::JudgingStore(claimer).claim_next("c1", worker, 30))
      ids.push_back(c->submission_id);
    return ids;
  }
  core::Judgement verdict(int64_t submission_id) {
    core::Judgement j;
    j.submission_id = submission_id;
    j.verdict = domain::Verdict::AC;
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    return j;
  }
  // Claims the contest's next submission and records a verdict for it, as a worker does.
  int64_t judge_next() {
    auto c = judging_store().claim_next("c1", "w1", 30);
    if (!c) return 0;
    EXPECT_EQ(
        judging_store()
            .record_judgement(verdict(c->submission_id), {core::Fence::Kind::Worker, c->attempt})
            .status,
        core::RecordStatus::Recorded);
    return c->submission_id;
  }

  // The persistence parts over `store` (core/<part>.h).
  core::JudgingStore judging_store() { return core::JudgingStore(*store); }
  core::SetupStore setup_store() { return core::SetupStore(*store); }
  core::SubmissionStore submission_store() { return core::SubmissionStore(*store); }

  testenv::FreshDatabase db;
  std::unique_ptr<core::Store> store;
};

TEST_F(RecoveryTest, ClaimNextServesTeamsInTurnWhileOneFloods) {
  std::vector<int64_t> a;
  for (int i = 0; i < 5; ++i) a.push_back(submit("ta"));
  int64_t b = submit("tb");
  // One slot: claim, judge, record, claim again.
  std::vector<int64_t> order;
  while (int64_t id = judge_next()) order.push_back(id);
  EXPECT_EQ(order, (std::vector<int64_t>{a[0], b, a[1], a[2], a[3], a[4]}))
      << "team B's one submission is claimed second, not after all of team A's";
}

TEST_F(RecoveryTest, ClaimNextRotatesOverSeveralTeams) {
  std::vector<int64_t> a, b;
  for (int i = 0; i < 3; ++i) a.push_back(submit("ta"));
  for (int i = 0; i < 2; ++i) b.push_back(submit("tb"));
  int64_t c = submit("tc");
  std::vector<int64_t> order;
  while (int64_t id = judge_next()) order.push_back(id);
  EXPECT_EQ(order, (std::vector<int64_t>{a[0], b[0], c, a[1], b[1], a[2]}));
}

TEST_F(RecoveryTest, ClaimNextPrefersAnotherTeamWhileOneTeamIsBeingJudged) {
  int64_t a1 = submit("ta"), a2 = submit("ta"), b = submit("tb");
  // Two slots: the first holds a1 while the second claims.
  auto first = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->submission_id, a1);
  auto second = judging_store().claim_next("c1", "w2", 30);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->submission_id, b);
  auto third = judging_store().claim_next("c1", "w3", 30);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->submission_id, a2);
  EXPECT_FALSE(judging_store().claim_next("c1", "w4", 30)) << "nothing queued is left";
  EXPECT_FALSE(judging_store().claim_next("other", "w4", 30)) << "another contest has nothing";
}

TEST_F(RecoveryTest, ClaimNextSkipsARowLockedByAnotherClaimerInsteadOfWaiting) {
  int64_t a = submit("ta"), b = submit("tb");
  pqxx::connection other(db.url());
  pqxx::work locker(other);
  locker.exec("SELECT id FROM submissions WHERE id = " + std::to_string(a) + " FOR UPDATE");
  auto claimed = std::async(std::launch::async, [&] {
    core::Store second(db.url());
    return core::JudgingStore(second).claim_next("c1", "w2", 30);
  });
  bool returned = claimed.wait_for(seconds(10)) == std::future_status::ready;
  locker.commit();  // Unblocks a claimer that waited, so the test ends either way.
  ASSERT_TRUE(returned) << "claim_next waited for the locked row instead of skipping it";
  auto c = claimed.get();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->submission_id, b);
}

TEST_F(RecoveryTest, ConcurrentClaimersNeverGetTheSameRow) {
  std::vector<int64_t> all;
  const char* teams[] = {"ta", "tb", "tc", "td"};
  for (int i = 0; i < 60; ++i) all.push_back(submit(teams[i % 4]));
  std::vector<std::vector<int64_t>> got(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      core::Store claimer(db.url());
      got[t] = claim_all(claimer, "w" + std::to_string(t));
    });
  for (auto& t : threads) t.join();
  std::multiset<int64_t> claimed;
  for (const auto& ids : got) claimed.insert(ids.begin(), ids.end());
  EXPECT_EQ(claimed.size(), all.size()) << "every row claimed exactly once in all";
  EXPECT_EQ(std::set<int64_t>(claimed.begin(), claimed.end()),
            std::set<int64_t>(all.begin(), all.end()));
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions WHERE state = 'judging' AND attempt = 1"),
            "60");
}

TEST_F(RecoveryTest, RetryLaterHidesTheRowUntilItsRetryTimeAndCountsTheFailure) {
  int64_t s = submit("ta");
  auto c = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->failures, 0);
  EXPECT_FALSE(judging_store().retry_later(s, c->attempt + 1, 60)) << "fenced by the attempt";
  ASSERT_TRUE(judging_store().retry_later(s, c->attempt, 60));
  EXPECT_EQ(column(s, "state"), "queued");
  EXPECT_EQ(column(s, "failures"), "1");
  EXPECT_EQ(column(s, "lease_owner"), "");
  EXPECT_FALSE(judging_store().claim_next("c1", "w1", 30)) << "not claimable before retry_at";
  EXPECT_FALSE(judging_store().retry_later(s, c->attempt, 1)) << "no longer judging";
  int64_t other = submit("tb");
  auto next = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->submission_id, other) << "a waiting retry does not block the others";

  sql("UPDATE submissions SET retry_at = now() - interval '1 second' WHERE id = " +
      std::to_string(s));
  auto again = judging_store().claim_next("c1", "w2", 30);
  ASSERT_TRUE(again) << "claimable once retry_at passed";
  EXPECT_EQ(again->submission_id, s);
  EXPECT_EQ(again->attempt, c->attempt + 1);
  EXPECT_EQ(again->failures, 1);
}

TEST_F(RecoveryTest, RetryLaterWaitsRoughlyTheDelay) {
  int64_t s = submit("ta");
  auto c = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(c);
  ASSERT_TRUE(judging_store().retry_later(s, c->attempt, 1.5));
  EXPECT_EQ(db.scalar("SELECT retry_at BETWEEN now() + interval '1 second' AND now() + interval "
                      "'2 seconds' FROM submissions WHERE id = " +
                      std::to_string(s)),
            "t");
}

TEST_F(RecoveryTest, ARetryWithoutWaitIsPushedAtTheNextSweep) {
  int64_t s = submit("ta");
  auto c = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(c);
  ASSERT_TRUE(judging_store().retry_later(s, c->attempt, 0));  // --retry-base-ms 0
  auto refs = judging_store().requeue_unclaimed(30);
  ASSERT_EQ(refs.size(), 1u) << "not only after stale_seconds";
  EXPECT_EQ(refs[0].submission_id, s);
  EXPECT_TRUE(judging_store().requeue_unclaimed(30).empty());
}

TEST_F(RecoveryTest, ExpiredLeasesGoBackToTheQueueAndCountAsFailures) {
  int64_t dead = submit("ta"), alive = submit("tb");
  auto d = judging_store().claim_next("c1", "dead-worker", 30);
  auto a = judging_store().claim_next("c1", "live-worker", 30);
  ASSERT_TRUE(d && a);
  ASSERT_EQ(d->submission_id, dead);
  EXPECT_TRUE(judging_store().requeue_expired_leases().empty()) << "no lease has expired yet";
  sql("UPDATE submissions SET lease_until = now() - interval '1 second' WHERE id = " +
      std::to_string(dead));
  auto requeued = judging_store().requeue_expired_leases();
  ASSERT_EQ(requeued.size(), 1u);
  EXPECT_EQ(requeued[0].submission_id, dead);
  EXPECT_EQ(requeued[0].contest_id, "c1");
  EXPECT_EQ(column(dead, "state"), "queued");
  EXPECT_EQ(column(dead, "failures"), "1");
  EXPECT_EQ(column(dead, "lease_owner"), "");
  EXPECT_EQ(column(alive, "state"), "judging") << "a live lease is left alone";
  EXPECT_TRUE(judging_store().requeue_expired_leases().empty()) << "requeued once";

  EXPECT_FALSE(judging_store().heartbeat(dead, d->attempt, 30))
      << "the dead worker's lease is gone";
  auto again = judging_store().claim_next("c1", "w2", 30);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->submission_id, dead);
  EXPECT_EQ(again->failures, 1);
  EXPECT_EQ(judging_store()
                .record_judgement(verdict(dead), {core::Fence::Kind::Worker, d->attempt})
                .status,
            core::RecordStatus::LeaseLost)
      << "the dead worker's late result is refused";
  EXPECT_EQ(judging_store()
                .record_judgement(verdict(dead), {core::Fence::Kind::Worker, again->attempt})
                .status,
            core::RecordStatus::Recorded);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM judgements"), "1");
}

TEST_F(RecoveryTest, RequeueUnclaimedRespectsStaleSecondsAndRetryTime) {
  int64_t fresh = submit("ta"), stale = submit("tb"), waiting = submit("tc"), due = submit("td");
  int64_t judging = submit("ta");
  auto old = [&](int64_t id, const std::string& extra = "") {
    sql("UPDATE submissions SET queued_at = now() - interval '60 seconds'" + extra +
        " WHERE id = " + std::to_string(id));
  };
  old(stale);
  old(waiting, ", retry_at = now() + interval '60 seconds'");
  // A retry that became due: re-queued 60 s ago with a 50 s wait.
  old(due, ", retry_at = now() - interval '10 seconds'");
  old(judging);
  sql("UPDATE submissions SET state = 'judging', attempt = 1, lease_until = now() + interval '1 "
      "minute' WHERE id = " +
      std::to_string(judging));

  auto refs = judging_store().requeue_unclaimed(30);
  std::set<int64_t> ids;
  for (const auto& r : refs) {
    ids.insert(r.submission_id);
    EXPECT_EQ(r.contest_id, "c1");
  }
  EXPECT_EQ(ids, (std::set<int64_t>{stale, due}))
      << "fresh=" << fresh << " stale=" << stale << " waiting=" << waiting << " due=" << due;
  EXPECT_TRUE(judging_store().requeue_unclaimed(30).empty())
      << "pushed rows count as freshly queued";

  // A retry with a short wait is pushed as soon as it is due, long before stale_seconds.
  sql("UPDATE submissions SET retry_at = now() - interval '1 second', queued_at = now() - "
      "interval '2 seconds' WHERE id = " +
      std::to_string(waiting));
  refs = judging_store().requeue_unclaimed(30);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].submission_id, waiting);
  EXPECT_EQ(column(fresh, "state"), "queued");
}

TEST_F(RecoveryTest, OnlyOneStoreLeadsTheSweeperAndAnotherTakesOver) {
  auto first = std::make_unique<core::Store>(db.url());
  core::Store second(db.url());
  EXPECT_TRUE(core::JudgingStore(*first).lead_sweeper());
  EXPECT_FALSE(core::JudgingStore(second).lead_sweeper());
  EXPECT_TRUE(core::JudgingStore(*first).lead_sweeper()) << "a leader keeps leading";
  EXPECT_FALSE(core::JudgingStore(second).lead_sweeper());
  first.reset();  // Its connection closes, and the session lock with it.
  EXPECT_TRUE(testenv::eventually([&] { return core::JudgingStore(second).lead_sweeper(); }, 5000))
      << "the second store takes over";
  core::Store third(db.url());
  EXPECT_FALSE(core::JudgingStore(third).lead_sweeper());
}

// A leader whose connection died (Postgres restarted, the backend was killed) lost the lock with
// it: it must notice instead of sweeping on as a second leader.
TEST_F(RecoveryTest, ALeaderWhoseConnectionDiedStopsLeading) {
  core::Store first(db.url()), second(db.url());
  ASSERT_TRUE(core::JudgingStore(first).lead_sweeper());
  sql("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND "
      "database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  ASSERT_TRUE(testenv::eventually([&] { return core::JudgingStore(second).lead_sweeper(); }, 5000));
  bool first_leads = true;
  try {
    first_leads = core::JudgingStore(first).lead_sweeper();
  } catch (const core::StoreError&) {
    first_leads = false;  // Noticing the dead connection by an error is fine too.
  }
  EXPECT_FALSE(first_leads) << "two sweeper leaders at once";
  EXPECT_FALSE(core::JudgingStore(first).lead_sweeper()) << "it reconnects as a follower";
}

}  // namespace
