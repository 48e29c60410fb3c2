// The persistence parts (core::JudgingStore first) against the real Postgres started by
// scripts/test: the lease protocol, fencing and the one record_judgement path.
#include "core/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <pqxx/pqxx>

#include "core/account_store.h"
#include "core/contest_reads.h"
#include "core/judging_store.h"
#include "core/problem_data.h"
#include "core/setup_store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

class StoreTest : public ::testing::Test {
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
    p.tests = {{"1 2\n", "3\n", true}, {"2 2\n", "4\n", false}};
    setup_store().replace_problem(p);
    setup_store().upsert_team({"t1", "Team 1", "Team 1"});
    setup_store().add_team_to_contest("c1", "t1");
  }
  core::Submission submit() {
    return submission_store().create_submission({"c1", "t1", "sum", "c", "int main(){}"});
  }
  core::Judgement verdict(int64_t submission_id, const std::string& v) {
    core::Judgement j;
    j.submission_id = submission_id;
    j.verdict = domain::parse_verdict(v).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    auto tests = problem_data().testcases("c1", "sum");
    j.runs.push_back({1, tests[0].id, *j.verdict, 5, 6, 1024});
    return j;
  }
  // The persistence parts over `store` (core/<part>.h).
  core::AccountStore account_store() { return core::AccountStore(*store); }
  core::JudgingStore judging_store() { return core::JudgingStore(*store); }
  core::ProblemData problem_data() { return core::ProblemData(*store); }
  core::ContestReads reads() { return core::ContestReads(*store); }
  core::SetupStore setup_store() { return core::SetupStore(*store); }
  core::SubmissionStore submission_store() { return core::SubmissionStore(*store); }

  testenv::FreshDatabase db;
  std::unique_ptr<core::Store> store;
};

TEST_F(StoreTest, SubmissionRoundTripsWithBinarySource) {
  std::string source("a\0b\xff", 4);
  auto s = submission_store().create_submission({"c1", "t1", "sum", "cpp", source});
  auto back = submission_store().submission(s.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->source, source);
  EXPECT_EQ(back->state, core::SubmissionState::Queued);
  EXPECT_EQ(submission_store().submissions("c1", std::string("t1")).size(), 1u);
  EXPECT_TRUE(submission_store().submissions("c1", std::string("other")).empty());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE type = 'submissions'"), "1");
}

TEST_F(StoreTest, ClaimIsExclusiveAndBumpsTheAttempt) {
  auto s = submit();
  auto first = judging_store().claim(s.id, "c1", "w1", 30);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->attempt, 1);
  EXPECT_FALSE(judging_store().claim(s.id, "c1", "w2", 30))
      << "a judging submission cannot be claimed again";
  EXPECT_FALSE(judging_store().claim(999999, "c1", "w1", 30)) << "unknown submission";
  auto other = submit();
  EXPECT_FALSE(judging_store().claim(other.id, "c2", "w1", 30)) << "queue item of another contest";
  EXPECT_TRUE(judging_store().heartbeat(s.id, 1, 30));
  EXPECT_FALSE(judging_store().heartbeat(s.id, 2, 30)) << "wrong fence";
  EXPECT_TRUE(judging_store().release(s.id, 1));
  auto second = judging_store().claim(s.id, "c1", "w2", 30);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->attempt, 2);
}

TEST_F(StoreTest, RejudgeQueuesJudgedSubmissionsForTheRejudgeListOnly) {
  auto s = submit();
  auto first = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->submission_id, s.id);
  ASSERT_EQ(judging_store()
                .record_judgement(verdict(s.id, "WA"), {core::Fence::Kind::Worker, first->attempt})
                .status,
            core::RecordStatus::Recorded);
  auto pending = submit();
  EXPECT_TRUE(judging_store().rejudge("c1", {pending.id, 999999}, std::nullopt).empty())
      << "unjudged and unknown submissions are left out";
  auto queued = judging_store().rejudge("c1", {s.id}, std::nullopt);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_TRUE(queued[0].rejudge);
  EXPECT_TRUE(judging_store().rejudge("other", {}, std::string("sum")).empty())
      << "another contest";
  auto live = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->submission_id, pending.id) << "a live claim never takes a rejudge";
  EXPECT_FALSE(judging_store().claim_next("c1", "w1", 30));
  auto again = judging_store().claim(s.id, "c1", "w2", 30);
  ASSERT_TRUE(again) << "the rejudge list's item claims it";
  ASSERT_EQ(judging_store()
                .record_judgement(verdict(s.id, "AC"), {core::Fence::Kind::Worker, again->attempt})
                .status,
            core::RecordStatus::Recorded);
  EXPECT_EQ(db.scalar("SELECT string_agg(verdict || ':' || is_current, ',' ORDER BY id) FROM "
                      "judgements WHERE submission_id = " +
                      std::to_string(s.id)),
            "WA:false,AC:true");
}

TEST_F(StoreTest, StaleWorkerCannotRecordAfterTheLeaseMovedOn) {
  auto s = submit();
  ASSERT_TRUE(judging_store().claim(s.id, "c1", "w1", 30));
  ASSERT_TRUE(judging_store().release(s.id, 1));
  ASSERT_TRUE(judging_store().claim(s.id, "c1", "w2", 30));
  auto stale =
      judging_store().record_judgement(verdict(s.id, "WA"), {core::Fence::Kind::Worker, 1});
  EXPECT_EQ(stale.status, core::RecordStatus::LeaseLost);
  auto fresh =
      judging_store().record_judgement(verdict(s.id, "AC"), {core::Fence::Kind::Worker, 2});
  ASSERT_EQ(fresh.status, core::RecordStatus::Recorded);
  auto again =
      judging_store().record_judgement(verdict(s.id, "WA"), {core::Fence::Kind::Worker, 2});
  EXPECT_EQ(again.status, core::RecordStatus::LeaseLost) << "a result is recorded once";
  auto judgements = submission_store().judgements("c1", s.id, std::nullopt);
  ASSERT_EQ(judgements.size(), 1u);
  EXPECT_EQ(judgements[0].verdict, domain::Verdict::AC);
  EXPECT_EQ(submission_store().submission(s.id)->state, core::SubmissionState::Judged);
  auto full = submission_store().judgement(fresh.judgement_id);
  ASSERT_TRUE(full);
  ASSERT_EQ(full->runs.size(), 1u);
  EXPECT_EQ(full->runs[0].memory_kib, 1024);
}

TEST_F(StoreTest, ManualVerdictReplacesTheCurrentOneAndFencesOutTheWorker) {
  auto s = submit();
  ASSERT_TRUE(judging_store().claim(s.id, "c1", "w1", 30));
  auto manual = verdict(s.id, "WA");
  manual.judged_by = "jury";
  auto overridden = judging_store().record_judgement(manual, {core::Fence::Kind::Manual, 0});
  ASSERT_EQ(overridden.status, core::RecordStatus::Recorded);
  auto late = judging_store().record_judgement(verdict(s.id, "AC"), {core::Fence::Kind::Worker, 1});
  EXPECT_EQ(late.status, core::RecordStatus::LeaseLost) << "the jury's verdict stands";
  auto second =
      judging_store().record_judgement(verdict(s.id, "AC"), {core::Fence::Kind::Manual, 0});
  ASSERT_EQ(second.status, core::RecordStatus::Recorded);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM judgements WHERE is_current"), "1");
  EXPECT_EQ(db.scalar("SELECT verdict FROM judgements WHERE is_current"), "AC");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM judgements"), "2");
  EXPECT_EQ(judging_store()
                .record_judgement(verdict(424242, "AC"), {core::Fence::Kind::Manual, 0})
                .status,
            core::RecordStatus::NoSuchSubmission);
}

TEST_F(StoreTest, ReplacingAProblemIsIdempotentAndContentAddressed) {
  core::NewProblem p;
  p.problem = *reads().problem("c1", "sum");
  p.tests = {{"1 2\n", "3\n", true}, {"2 2\n", "4\n", false}};
  setup_store().replace_problem(p);
  EXPECT_EQ(problem_data().testcases("c1", "sum").size(), 2u);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM blobs"), "4");
  auto tests = problem_data().testcases("c1", "sum");
  EXPECT_EQ(problem_data().blob(tests[1].answer_sha), "4\n");
  EXPECT_EQ(tests[0].input_sha, core::sha256_hex("1 2\n"));
}

// The API's creating inserts: an existing key is reported (false) and leaves the row as it was.
TEST_F(StoreTest, InsertsReportConflictsAndKeepTheExistingRow) {
  core::Contest c{"c1", "Other", "Other", std::nullopt, 1000, std::nullopt, 0, "score"};
  EXPECT_FALSE(setup_store().insert_contest(c));
  EXPECT_EQ(reads().contest("c1")->name, "Contest");
  c.id = "c2";
  EXPECT_TRUE(setup_store().insert_contest(c));
  EXPECT_FALSE(reads().contest("c2")->start_ms);

  EXPECT_TRUE(account_store().insert_user("j", "hash", core::Role::Jury, std::nullopt));
  EXPECT_FALSE(account_store().insert_user("j", "other", core::Role::Admin, std::nullopt));
  EXPECT_EQ(account_store().user_by_name("j")->password_hash, "hash");
  EXPECT_EQ(account_store().users().size(), 1u);

  core::NewProblem p;
  p.problem.contest_id = "c1";
  p.problem.id = "sum";
  p.problem.label = "Z";
  p.problem.name = "Changed";
  p.tests = {{"9\n", "9\n", false}};
  EXPECT_FALSE(setup_store().insert_problem(p));
  EXPECT_EQ(reads().problem("c1", "sum")->label, "A");
  EXPECT_EQ(problem_data().testcases("c1", "sum").size(), 2u) << "test data untouched";
  p.problem.id = "echo";
  EXPECT_TRUE(setup_store().insert_problem(p));
  EXPECT_EQ(reads().problem("c1", "echo")->test_count, 1);
}

TEST_F(StoreTest, TeamsCarryTheirOrganizationAndGroups) {
  EXPECT_TRUE(setup_store().insert_organization({"uva", "UvA", std::nullopt, "NLD"}));
  EXPECT_FALSE(setup_store().insert_organization({"uva", "Dup", std::nullopt, std::nullopt}));
  EXPECT_TRUE(setup_store().insert_group({"b", "B"}));
  EXPECT_TRUE(setup_store().insert_group({"a", "A"}));
  EXPECT_EQ(reads().organization("uva")->country, "NLD");
  EXPECT_EQ(reads().groups().size(), 2u);

  EXPECT_TRUE(setup_store().insert_team("c1", {"t2", "Two", "", "uva", {"b", "a"}}));
  EXPECT_FALSE(setup_store().insert_team("c1", {"t1", "Dup", "", std::nullopt, {}}));
  auto t2 = reads().team("c1", "t2");
  ASSERT_TRUE(t2);
  EXPECT_EQ(t2->organization_id, "uva");
  EXPECT_EQ(t2->group_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t2->display_name, "Two") << "no display name reads as the name";
  EXPECT_TRUE(reads().team("c1", "t1")->group_ids.empty());
  EXPECT_TRUE(account_store().team_exists("t2"));
  EXPECT_FALSE(account_store().team_exists("nope"));
}

TEST_F(StoreTest, ScoreboardSubmissionsCarryTheCurrentVerdictOrNone) {
  auto judged = submit();
  auto pending = submit();
  ASSERT_TRUE(judging_store().claim(judged.id, "c1", "w1", 30));
  ASSERT_EQ(judging_store()
                .record_judgement(verdict(judged.id, "WA"), {core::Fence::Kind::Worker, 1})
                .status,
            core::RecordStatus::Recorded);
  ASSERT_EQ(judging_store()
                .record_judgement(verdict(judged.id, "AC"), {core::Fence::Kind::Manual, 0})
                .status,
            core::RecordStatus::Recorded);
  auto rows = reads().scoreboard_submissions("c1");
  ASSERT_EQ(rows.size(), 2u) << "one row per submission, not per judgement";
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  EXPECT_EQ(rows[0].id, judged.id);
  EXPECT_EQ(rows[1].id, pending.id);
  EXPECT_EQ(rows[0].team_id, "t1");
  EXPECT_EQ(rows[0].problem_id, "sum");
  EXPECT_EQ(rows[0].submitted_ms, judged.submitted_ms);
  EXPECT_EQ(rows[0].verdict, std::optional(domain::Verdict::AC)) << "the current judgement";
  EXPECT_EQ(rows[1].verdict, std::nullopt) << "not judged yet";
  EXPECT_TRUE(reads().scoreboard_submissions("other").empty());
}

TEST_F(StoreTest, ContestThawRoundTrips) {
  EXPECT_FALSE(reads().contest("c1")->thawed_ms);
  EXPECT_TRUE(setup_store().set_contest_thaw("c1", 1'800'000'000'123));
  EXPECT_EQ(reads().contest("c1")->thawed_ms, 1'800'000'000'123);
  // The feed gets the whole contest object again, now with its thaw time.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM events WHERE type = 'contest'"), "2");
  EXPECT_EQ(db.scalar("SELECT data->>'scoreboard_thaw_time' FROM events WHERE type = 'contest' "
                      "ORDER BY id DESC LIMIT 1"),
            "2027-01-15T08:00:00.123+00:00");
  EXPECT_FALSE(reads().contest("c1")->finalized_ms);
  EXPECT_FALSE(setup_store().set_contest_thaw("nope", 1));
}

TEST_F(StoreTest, ContestChangesMoveWithEveryScoreboardInput) {
  int64_t last = reads().contest_changes("c1");
  EXPECT_GT(last, 0) << "the setup registered a problem and a team";
  auto moved = [&] {
    int64_t now = reads().contest_changes("c1");
    bool up = now > last;
    last = now;
    return up;
  };
  auto s = submit();
  EXPECT_TRUE(moved()) << "a submission";
  ASSERT_TRUE(judging_store().claim(s.id, "c1", "w1", 30));
  EXPECT_FALSE(moved()) << "a claim changes nothing on the board (pending either way)";
  ASSERT_EQ(
      judging_store().record_judgement(verdict(s.id, "AC"), {core::Fence::Kind::Worker, 1}).status,
      core::RecordStatus::Recorded);
  EXPECT_TRUE(moved()) << "a verdict";
  setup_store().upsert_team({"t2", "Team 2", "Team 2"});
  setup_store().add_team_to_contest("c1", "t2");
  EXPECT_TRUE(moved()) << "a team registered (no event written)";
  core::NewProblem p;
  p.problem = {"c1", "sum", "Z", "Sum", 9};
  p.tests = {{"1 2\n", "3\n", true}, {"2 2\n", "4\n", false}};  // Runs refer to them.
  setup_store().replace_problem(p);
  EXPECT_TRUE(moved()) << "a problem changed (no event written)";
  EXPECT_TRUE(setup_store().set_contest_thaw("c1", core::now_ms()));
  EXPECT_TRUE(moved()) << "a thaw";
  EXPECT_EQ(reads().contest_changes("nope"), 0);
}

// Why a counter and not max(events.id): ids are taken at INSERT, visible at COMMIT. A writer
// that took a later id must not commit its change first, or a reader between the two commits
// would hold a marker that the earlier writer's commit does not move. The counter's row lock
// makes the later writer wait.
TEST_F(StoreTest, ContestChangesOrderConcurrentWriters) {
  const int64_t before = reads().contest_changes("c1");
  const std::string insert_event =
      "INSERT INTO events (contest_id, type, object_id) VALUES ('c1', 'submissions', 'x')";
  pqxx::connection first_conn(db.url());
  pqxx::work first(first_conn);
  first.exec(insert_event);
  auto second = std::async(std::launch::async, [&] {
    pqxx::connection conn(db.url());
    pqxx::work w(conn);
    w.exec(insert_event);
    w.commit();
  });
  EXPECT_TRUE(testenv::eventually(
      [&] {
        return db.scalar(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                   "current_database() AND wait_event_type = 'Lock'") == "1";
      },
      10000))
      << "the second writer waits for the first one's commit";
  EXPECT_EQ(reads().contest_changes("c1"), before) << "nothing committed yet";
  first.commit();
  second.get();
  EXPECT_EQ(reads().contest_changes("c1"), before + 2);
}

TEST_F(StoreTest, EventWritersReturnOnlyAfterADurableMark) {
  const std::string marks = "SELECT coalesce(sum(marks), 0) FROM durability_marks";
  const std::string before = db.scalar(marks);
  auto s = submit();
  EXPECT_EQ(std::stoll(db.scalar(marks)), std::stoll(before) + 1)
      << "the submission's commit was followed by a synchronous mark";
  ASSERT_TRUE(judging_store().claim(s.id, "c1", "w1", 30));
  EXPECT_EQ(std::stoll(db.scalar(marks)), std::stoll(before) + 1) << "a claim needs no mark";
  ASSERT_EQ(
      judging_store().record_judgement(verdict(s.id, "AC"), {core::Fence::Kind::Worker, 1}).status,
      core::RecordStatus::Recorded);
  EXPECT_EQ(std::stoll(db.scalar(marks)), std::stoll(before) + 1)
      << "a worker's verdict lost with Postgres is judged again: no mark";
  ASSERT_EQ(
      judging_store().record_judgement(verdict(s.id, "WA"), {core::Fence::Kind::Manual, 0}).status,
      core::RecordStatus::Recorded);
  EXPECT_EQ(std::stoll(db.scalar(marks)), std::stoll(before) + 2) << "the jury's verdict waits";
}

TEST_F(StoreTest, ClaimNextLooksPastATeamsLockedTurns) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(submit().id);
  // Another claimer holds the team's first five (claim_next ranks four turns first).
  pqxx::connection other(db.url());
  pqxx::work holding(other);
  holding.exec("SELECT id FROM submissions WHERE id <= " + std::to_string(ids[4]) +
               " AND contest_id = 'c1' FOR UPDATE");
  auto claimed = judging_store().claim_next("c1", "w1", 30, std::nullopt);
  ASSERT_TRUE(claimed) << "the sixth is claimable";
  EXPECT_EQ(claimed->submission_id, ids[5]);
  holding.abort();
}

TEST_F(StoreTest, ClaimNextServesTheLeastRecentlyServedTeamFirst) {
  setup_store().upsert_team({"t2", "Team 2", "Team 2"});
  setup_store().add_team_to_contest("c1", "t2");
  auto first = submit();  // t1, judged: t1 was served last.
  ASSERT_TRUE(judging_store().claim(first.id, "c1", "w1", 30));
  ASSERT_EQ(judging_store()
                .record_judgement(verdict(first.id, "AC"), {core::Fence::Kind::Worker, 1})
                .status,
            core::RecordStatus::Recorded);
  auto t1 = submit();
  auto t2 = submission_store().create_submission({"c1", "t2", "sum", "c", "int main(){}"});
  auto claimed = judging_store().claim_next("c1", "w1", 30, std::nullopt);
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->submission_id, t2.id) << "never served before, though it came later";
  EXPECT_EQ(db.scalar("SELECT last_judgement_id FROM team_served WHERE team_id = 't1'"),
            std::to_string(submission_store().judgements("c1", first.id, std::nullopt)[0].id));
  EXPECT_NE(t1.id, 0);
}

TEST(StoreDown, ReportsAnUnreachableDatabase) {
  core::Store store("postgresql://judge@127.0.0.1:1/none?connect_timeout=1");
  EXPECT_FALSE(store.ping());
  EXPECT_THROW(core::ContestReads(store).contests(), core::StoreError);
}

}  // namespace
