// The event feed outbox against the real Postgres: every write path appends the CLICS object a
// GET would serve (core/clics.h) in its own transaction, and the readers page through them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/account_store.h"
#include "core/clics.h"
#include "core/contest_reads.h"
#include "core/event_log.h"
#include "core/judging_store.h"
#include "core/problem_data.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using nlohmann::json;
constexpr int64_t kHour = 3'600'000;

class StoreEventsTest : public ::testing::Test {
 protected:
  void SetUp() override { store = std::make_unique<core::Store>(db.url()); }

  core::Contest contest(const std::string& id, std::optional<int64_t> start_ms) {
    return {id, "Contest " + id, "", start_ms, 5 * kHour, kHour, 20, "pass-fail"};
  }
  void add_problem(const std::string& cid, const std::string& id) {
    core::NewProblem p;
    p.problem = {cid, id, id, "Problem " + id};
    p.tests = {{"1\n", "1\n", true}, {"2\n", "2\n", false}};
    ASSERT_TRUE(setup_store().insert_problem(p));
  }
  // A running contest c1 with problem A and teams t1, t2.
  void running_contest() {
    ASSERT_TRUE(setup_store().insert_contest(contest("c1", core::now_ms() - kHour)));
    add_problem("c1", "A");
    ASSERT_TRUE(setup_store().insert_team("c1", {"t1", "Team 1", "", std::nullopt, {}}));
    ASSERT_TRUE(setup_store().insert_team("c1", {"t2", "Team 2", "", std::nullopt, {}}));
  }

  std::vector<core::Event> all(const std::string& cid) {
    return event_log().events(cid, 0, 100000);
  }
  std::vector<core::Event> of_type(const std::string& cid, const std::string& type) {
    std::vector<core::Event> out;
    for (auto& e : all(cid))
      if (e.type == type) out.push_back(e);
    return out;
  }
  static json data(const core::Event& e) { return json::parse(e.data); }

  // Submits for `team` and records `verdict` with one run per test case, as a worker does.
  core::RecordResult judge(const std::string& team, const std::string& verdict,
                           core::Fence::Kind kind = core::Fence::Kind::Worker) {
    auto s = submission_store().create_submission({"c1", team, "A", "c", "int main(){}"});
    core::Judgement j;
    j.submission_id = s.id;
    j.verdict = domain::parse_verdict(verdict).value();
    j.judged_by = "w1";
    j.start_ms = core::now_ms();
    j.max_run_time_ms = 12;
    for (const auto& t : problem_data().testcases("c1", "A"))
      j.runs.push_back({t.ordinal, t.id, domain::Verdict::AC, 5, 7, 1024});
    int attempt = 0;
    if (kind == core::Fence::Kind::Worker) {
      auto claimed = judging_store().claim(s.id, "c1", "w1", 30);
      attempt = claimed ? claimed->attempt : -1;
    }
    return judging_store().record_judgement(j, {kind, attempt});
  }

  // The persistence parts over `store` (core/<part>.h).
  core::EventLog event_log() { return core::EventLog(*store); }
  core::JudgingStore judging_store() { return core::JudgingStore(*store); }
  core::ProblemData problem_data() { return core::ProblemData(*store); }
  core::ContestReads reads() { return core::ContestReads(*store); }
  core::SetupStore setup_store() { return core::SetupStore(*store); }
  core::SubmissionStore submission_store() { return core::SubmissionStore(*store); }

  testenv::FreshDatabase db;
  std::unique_ptr<core::Store> store;
};

TEST_F(StoreEventsTest, ANewContestStartsItsFeedWithTheCatalogThenContestAndState) {
  const int64_t start = core::now_ms() - kHour;
  ASSERT_TRUE(setup_store().insert_contest(contest("c1", start)));
  std::vector<std::string> types;
  for (const auto& e : all("c1"))
    if (types.empty() || types.back() != e.type) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"judgement-types", "languages", "contest", "state"}));

  auto judgement_types = of_type("c1", "judgement-types");
  ASSERT_EQ(judgement_types.size(), core::judgement_types().size());
  EXPECT_EQ(data(judgement_types[0]), core::judgement_type_json(core::judgement_types()[0]));
  EXPECT_EQ(judgement_types[0].object_id, "AC");

  size_t enabled = 0;
  for (const auto& l : reads().languages()) enabled += l.enabled ? 1 : 0;
  auto languages = of_type("c1", "languages");
  EXPECT_EQ(languages.size(), enabled);
  ASSERT_FALSE(languages.empty());
  auto served = reads().languages();
  auto first = std::find_if(served.begin(), served.end(),
                            [&](const auto& l) { return l.id == languages[0].object_id; });
  ASSERT_NE(first, served.end());
  EXPECT_EQ(data(languages[0]), core::language_json(*first));

  auto contests = of_type("c1", "contest");
  ASSERT_EQ(contests.size(), 1u);
  EXPECT_EQ(contests[0].object_id, std::nullopt) << "CLICS: the contest event's id is null";
  EXPECT_EQ(data(contests[0]), core::contest_json(*reads().contest("c1")));

  auto states = of_type("c1", "state");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].object_id, std::nullopt);
  EXPECT_EQ(data(states[0])["started"], core::format_time(start));
  EXPECT_TRUE(data(states[0])["ended"].is_null());
  for (const auto& e : all("c1")) EXPECT_EQ(e.team_id, std::nullopt) << e.type;

  EXPECT_FALSE(setup_store().insert_contest(contest("c1", start))) << "a taken id";
  EXPECT_EQ(of_type("c1", "contest").size(), 1u) << "a refused insert writes no event";
}

TEST_F(StoreEventsTest, ProblemsAndTeamsCarryTheObjectAGetServes) {
  running_contest();
  auto problems = of_type("c1", "problems");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].object_id, "A");
  EXPECT_EQ(data(problems[0]), core::problem_json(*reads().problem("c1", "A")));
  EXPECT_EQ(data(problems[0])["test_data_count"], 2);

  auto teams = of_type("c1", "teams");
  ASSERT_EQ(teams.size(), 2u);
  EXPECT_EQ(teams[1].object_id, "t2");
  EXPECT_EQ(data(teams[1]), core::team_json(*reads().team("c1", "t2")));
  EXPECT_EQ(teams[1].team_id, std::nullopt) << "teams are public";
}

TEST_F(StoreEventsTest, OrganizationsAndGroupsAppearInEveryContest) {
  ASSERT_TRUE(
      setup_store().insert_organization({"early", "Early Org", std::nullopt, std::nullopt}));
  ASSERT_TRUE(setup_store().insert_contest(contest("c1", core::now_ms())));
  ASSERT_TRUE(setup_store().insert_contest(contest("c2", std::nullopt)));
  ASSERT_TRUE(setup_store().insert_organization({"org1", "Org One", "Organization One", "NLD"}));
  ASSERT_TRUE(setup_store().insert_group({"g1", "Group One"}));
  for (const char* cid : {"c1", "c2"}) {
    auto organizations = of_type(cid, "organizations");
    ASSERT_EQ(organizations.size(), 2u) << cid;
    EXPECT_EQ(organizations[0].object_id, "early") << "existing ones start a new contest's feed";
    EXPECT_EQ(organizations[1].object_id, "org1");
    EXPECT_EQ(data(organizations[1]), core::organization_json(*reads().organization("org1")));
    auto groups = of_type(cid, "groups");
    ASSERT_EQ(groups.size(), 1u) << cid;
    EXPECT_EQ(data(groups[0]), core::group_json({"g1", "Group One"}));
  }
  EXPECT_FALSE(setup_store().insert_group({"g1", "Again"}));
  EXPECT_EQ(of_type("c1", "groups").size(), 1u) << "a refused insert writes no event";
}

TEST_F(StoreEventsTest, SubmissionsJudgementsAndRunsCarryTheirTeam) {
  running_contest();
  auto recorded = judge("t2", "WA");
  ASSERT_EQ(recorded.status, core::RecordStatus::Recorded);
  auto c1 = *reads().contest("c1");

  // Created, claimed, judged: each change of judging_state is the submission again.
  auto submissions = of_type("c1", "submissions");
  ASSERT_EQ(submissions.size(), 3u);
  std::vector<std::string> states;
  for (const auto& e : submissions) {
    EXPECT_EQ(e.team_id, "t2");
    states.push_back(data(e)["judging_state"]);
  }
  EXPECT_EQ(states, (std::vector<std::string>{"queued", "judging", "judged"}));
  auto submission = submission_store().submissions("c1", std::nullopt).at(0);
  EXPECT_EQ(submissions[0].object_id, std::to_string(submission.id));
  EXPECT_EQ(data(submissions.back()), core::submission_json(submission, c1)) << "GET's now";
  json sent = data(submissions[0]);
  EXPECT_EQ(sent["team_id"], "t2");
  EXPECT_EQ(sent["problem_id"], "A");
  EXPECT_EQ(sent["time"], core::format_time(submission.submitted_ms));
  EXPECT_EQ(sent["contest_time"], core::submission_json(submission, c1)["contest_time"]);

  auto judgements = of_type("c1", "judgements");
  ASSERT_EQ(judgements.size(), 1u);
  EXPECT_EQ(judgements[0].team_id, "t2");
  EXPECT_EQ(judgements[0].object_id, std::to_string(recorded.judgement_id));
  auto judgement = *submission_store().judgement(recorded.judgement_id);
  EXPECT_EQ(data(judgements[0]), core::judgement_json(judgement, c1));
  EXPECT_EQ(data(judgements[0])["judgement_type_id"], "WA");
  EXPECT_EQ(data(judgements[0])["current"], true);
  EXPECT_EQ(data(judgements[0])["compile_output"], "") << "the full object: every view's source";

  auto runs = of_type("c1", "runs");
  ASSERT_EQ(runs.size(), 2u) << "one per test case";
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].team_id, "t2");
    auto run = submission_store().run(std::stoll(*runs[i].object_id));
    ASSERT_TRUE(run);
    EXPECT_EQ(data(runs[i]), core::run_json(*run, c1)) << "what GET runs/{id} serves";
    EXPECT_EQ(data(runs[i])["judgement_id"], std::to_string(recorded.judgement_id));
    EXPECT_EQ(data(runs[i])["ordinal"], static_cast<int>(i + 1));
  }
  EXPECT_GT(runs[0].id, judgements[0].id) << "the judgement comes before its runs";
}

TEST_F(StoreEventsTest, AReplacedJudgementIsSentAgainAsNotCurrent) {
  running_contest();
  auto first = judge("t1", "WA");
  ASSERT_EQ(first.status, core::RecordStatus::Recorded);
  auto sid = submission_store().judgement(first.judgement_id)->submission_id;
  core::Judgement manual;
  manual.submission_id = sid;
  manual.verdict = domain::Verdict::AC;
  manual.judged_by = "jury";
  manual.start_ms = core::now_ms();
  auto second = judging_store().record_judgement(manual, {core::Fence::Kind::Manual, 0});
  ASSERT_EQ(second.status, core::RecordStatus::Recorded);
  // A feed client must end up with what GET .../judgements/{first} says now: current false.
  std::map<std::string, json> last;
  for (const auto& e : of_type("c1", "judgements")) {
    last[*e.object_id] = data(e);
    EXPECT_EQ(e.team_id, "t1");
  }
  ASSERT_EQ(last.size(), 2u);
  auto c1 = *reads().contest("c1");
  EXPECT_EQ(last[std::to_string(first.judgement_id)],
            core::judgement_json(*submission_store().judgement(first.judgement_id), c1));
  EXPECT_EQ(last[std::to_string(first.judgement_id)]["current"], false);
  EXPECT_EQ(last[std::to_string(second.judgement_id)]["current"], true);
  // To its team the replaced judgement and its runs are deletions; new ones are not.
  std::map<std::string, bool> deletes;
  for (const auto& e : all("c1"))
    if (e.type == "judgements" || e.type == "runs") deletes[e.type + *e.object_id] = e.team_deletes;
  EXPECT_TRUE(deletes["judgements" + std::to_string(first.judgement_id)]);
  EXPECT_FALSE(deletes["judgements" + std::to_string(second.judgement_id)]);
  int deleted_runs = 0;
  for (const auto& run : submission_store().runs("c1", first.judgement_id, std::nullopt)) {
    EXPECT_TRUE(deletes["runs" + std::to_string(run.id)]);
    ++deleted_runs;
  }
  EXPECT_EQ(deleted_runs, 2);
}

// Released, retried and rejudged submissions are queued again: the feed says so, as GET does.
TEST_F(StoreEventsTest, EveryJudgingStateChangeIsAnEvent) {
  running_contest();
  auto s = submission_store().create_submission({"c1", "t1", "A", "c", "int main(){}"});
  auto last_state = [&] { return data(of_type("c1", "submissions").back())["judging_state"]; };
  auto claim = judging_store().claim(s.id, "c1", "w1", 30);
  ASSERT_TRUE(claim);
  EXPECT_EQ(last_state(), "judging");
  ASSERT_TRUE(judging_store().release(s.id, claim->attempt));
  EXPECT_EQ(last_state(), "queued");
  claim = judging_store().claim_next("c1", "w1", 30);
  ASSERT_TRUE(claim);
  EXPECT_EQ(last_state(), "judging");
  ASSERT_TRUE(judging_store().retry_later(s.id, claim->attempt, 0));
  EXPECT_EQ(last_state(), "queued");
  judge("t2", "AC");
  const auto judged = submission_store().submissions("c1", "t2").at(0);
  EXPECT_EQ(judging_store().rejudge("c1", {judged.id}, std::nullopt).size(), 1u);
  EXPECT_EQ(last_state(), "queued");
  EXPECT_EQ(of_type("c1", "submissions").back().object_id, std::to_string(judged.id));
}

// What GET serves of languages, accounts, renamed teams and the contest times after the start
// moved is what the feed's last event of each says.
TEST_F(StoreEventsTest, LanguagesAccountsTeamsAndMovedStartsAreWhatGetServes) {
  ASSERT_TRUE(setup_store().insert_contest(contest("c1", core::now_ms() + kHour)));
  for (const auto& e : of_type("c1", "languages")) {
    auto served = reads().languages();
    auto it = std::find_if(served.begin(), served.end(),
                           [&](const auto& l) { return l.id == e.object_id; });
    ASSERT_NE(it, served.end());
    EXPECT_EQ(data(e), core::language_json(*it)) << "with its entry point (issue 17)";
  }
  core::AccountStore(*store).upsert_user("ann", "hash", core::Role::Jury, std::nullopt);
  ASSERT_EQ(of_type("c1", "accounts").size(), 1u);
  EXPECT_EQ(data(of_type("c1", "accounts")[0]),
            core::account_json(*core::AccountStore(*store).user_by_name("ann")));
  ASSERT_TRUE(setup_store().insert_contest(contest("c2", core::now_ms())));
  EXPECT_EQ(of_type("c2", "accounts").size(), 1u) << "a new contest's feed starts with them";

  add_problem("c1", "A");
  setup_store().upsert_team({"t1", "Team 1", ""});
  setup_store().add_team_to_contest("c1", "t1");
  setup_store().upsert_team({"t1", "Team One", ""});
  EXPECT_EQ(data(of_type("c1", "teams").back())["name"], "Team One");

  auto s = submission_store().create_submission({"c1", "t1", "A", "c", "int main(){}"});
  const int64_t later = core::now_ms() + 2 * kHour;
  ASSERT_EQ(setup_store().set_contest_start("c1", later, core::now_ms()),
            core::ContestUpdate::Updated);
  auto c1 = *reads().contest("c1");
  EXPECT_EQ(data(of_type("c1", "submissions").back()),
            core::submission_json(*submission_store().submission(s.id), c1));
}

TEST_F(StoreEventsTest, StateIsRecordedOnceUntilTheClockMovesIt) {
  const int64_t start = core::now_ms() + kHour;
  ASSERT_TRUE(setup_store().insert_contest(contest("c1", start)));
  ASSERT_EQ(of_type("c1", "state").size(), 1u);
  EXPECT_TRUE(data(of_type("c1", "state")[0])["started"].is_null());
  EXPECT_FALSE(event_log().record_state("c1", core::now_ms())) << "nothing changed";
  EXPECT_FALSE(event_log().record_state("c1", start - 1));
  EXPECT_TRUE(event_log().record_state("c1", start)) << "started";
  EXPECT_FALSE(event_log().record_state("c1", start + 1));
  const int64_t freeze = start + 4 * kHour, end = start + 5 * kHour;
  EXPECT_TRUE(event_log().record_state("c1", freeze)) << "frozen";
  EXPECT_FALSE(event_log().record_state("c1", freeze + 1000));
  EXPECT_TRUE(event_log().record_state("c1", end)) << "ended";
  EXPECT_FALSE(event_log().record_state("c1", end + kHour));
  auto states = of_type("c1", "state");
  ASSERT_EQ(states.size(), 4u);
  EXPECT_EQ(data(states[1])["started"], core::format_time(start));
  EXPECT_TRUE(data(states[1])["frozen"].is_null());
  EXPECT_EQ(data(states[2])["frozen"], core::format_time(freeze));
  EXPECT_EQ(data(states[3])["ended"], core::format_time(end));
  EXPECT_FALSE(event_log().record_state("nope", end)) << "unknown contest";
}

TEST_F(StoreEventsTest, EventsPageInIdOrderAfterAToken) {
  running_contest();
  ASSERT_TRUE(setup_store().insert_contest(contest("c2", core::now_ms())));
  for (int i = 0; i < 3; ++i) judge("t1", "AC");
  auto every = all("c1");
  ASSERT_GT(every.size(), 20u);
  for (size_t i = 1; i < every.size(); ++i) EXPECT_LT(every[i - 1].id, every[i].id);
  EXPECT_EQ(event_log().last_event_id("c1"), every.back().id);

  const int64_t token = every[5].id;
  auto page = event_log().events("c1", token, 4);
  ASSERT_EQ(page.size(), 4u);
  for (size_t i = 0; i < page.size(); ++i) EXPECT_EQ(page[i].id, every[6 + i].id);
  // Paging through in small steps yields exactly the whole feed, no gaps, no repeats.
  std::vector<int64_t> paged;
  for (int64_t after = 0;;) {
    auto batch = event_log().events("c1", after, 7);
    for (const auto& e : batch) paged.push_back(e.id);
    if (batch.size() < 7) break;
    after = batch.back().id;
  }
  ASSERT_EQ(paged.size(), every.size());
  for (size_t i = 0; i < every.size(); ++i) EXPECT_EQ(paged[i], every[i].id);
  EXPECT_TRUE(event_log().events("c1", every.back().id, 10).empty());
  for (const auto& e : all("c2")) EXPECT_NE(e.type, "submissions") << "no other contest's events";

  const core::EventReader jury{true, std::nullopt, true};
  EXPECT_TRUE(event_log().event_visible("c1", token, jury));
  EXPECT_FALSE(event_log().event_visible("c2", token, jury)) << "a token of another contest";
  EXPECT_TRUE(event_log().event_visible("c2", all("c2").front().id, jury));
  EXPECT_FALSE(event_log().event_visible("c1", every.back().id + 1000, jury));
  EXPECT_FALSE(event_log().event_visible("c1", 0, jury));
  EXPECT_FALSE(event_log().event_visible("nope", token, jury));
  EXPECT_EQ(event_log().last_event_id("nope"), 0);
  EXPECT_EQ(event_log().last_visible_event_id("c1", jury), every.back().id);
  EXPECT_EQ(event_log().last_visible_event_id("nope", jury), std::nullopt);
}

// The store's visibility queries agree with the feed's rules (api::event_visibility): a team
// sees its own and the contest-wide events but accounts, anonymous the contest-wide ones.
TEST_F(StoreEventsTest, VisibleEventsFollowTheFeedsRules) {
  running_contest();
  judge("t1", "AC");
  const int64_t own = all("c1").back().id;  // t1's last run
  judge("t2", "WA");
  const int64_t theirs = all("c1").back().id;
  const int64_t wide = all("c1")[0].id;  // judgement-types
  const core::EventReader team1{false, "t1", true}, anonymous{false, std::nullopt, true};
  EXPECT_EQ(event_log().last_visible_event_id("c1", team1), own);
  EXPECT_TRUE(event_log().event_visible("c1", own, team1));
  EXPECT_FALSE(event_log().event_visible("c1", theirs, team1));
  EXPECT_TRUE(event_log().event_visible("c1", wide, team1));
  EXPECT_FALSE(event_log().event_visible("c1", own, anonymous));
  EXPECT_TRUE(event_log().event_visible("c1", wide, anonymous));
  int64_t last_wide = 0;
  for (const auto& e : all("c1"))
    if (!e.team_id && e.type != "accounts") last_wide = e.id;
  EXPECT_EQ(event_log().last_visible_event_id("c1", anonymous), last_wide);
  EXPECT_EQ(event_log().last_visible_event_id("c1", {false, "t9", true}), last_wide)
      << "a team without events of its own";
}

// Before the start a feed waits at the first problems event: no event from there on is named
// or accepted for a caller who may not see problems yet; the jury sees all.
TEST_F(StoreEventsTest, NothingFromTheFirstWaitingProblemOnBeforeTheStart) {
  ASSERT_TRUE(setup_store().insert_contest(contest("c1", core::now_ms() + kHour)));
  const int64_t before = all("c1").back().id;
  add_problem("c1", "A");
  const int64_t problem = all("c1").back().id;
  ASSERT_TRUE(setup_store().insert_team("c1", {"t1", "Team 1", "", std::nullopt, {}}));
  const int64_t team_event = all("c1").back().id;
  const core::EventReader waiting{false, "t1", false}, started{false, "t1", true};
  EXPECT_EQ(event_log().last_visible_event_id("c1", waiting), before);
  EXPECT_FALSE(event_log().event_visible("c1", problem, waiting));
  EXPECT_FALSE(event_log().event_visible("c1", team_event, waiting)) << "past the waiting problem";
  EXPECT_TRUE(event_log().event_visible("c1", before, waiting));
  EXPECT_EQ(event_log().last_visible_event_id("c1", started), team_event);
  EXPECT_TRUE(event_log().event_visible("c1", problem, started));
  EXPECT_EQ(event_log().last_visible_event_id("c1", {true, std::nullopt, true}), team_event);
}

TEST_F(StoreEventsTest, SetupUpsertsWriteEventsToo) {
  // judgectl and the demo seed go through the upserts: their contests get a feed as well.
  setup_store().upsert_contest(contest("c1", core::now_ms()));
  core::NewProblem p;
  p.problem = {"c1", "B", "B", "Problem B"};
  p.tests = {{"1\n", "1\n", false}};
  setup_store().replace_problem(p);
  setup_store().upsert_team({"t9", "Team 9", "Team 9"});
  setup_store().add_team_to_contest("c1", "t9");
  EXPECT_EQ(of_type("c1", "contest").size(), 1u);
  EXPECT_FALSE(of_type("c1", "languages").empty());
  EXPECT_EQ(of_type("c1", "problems").size(), 1u);
  ASSERT_EQ(of_type("c1", "teams").size(), 1u);
  EXPECT_EQ(of_type("c1", "teams")[0].object_id, "t9");
  setup_store().upsert_contest(contest("c1", core::now_ms()));
  EXPECT_EQ(of_type("c1", "contest").size(), 2u);
  EXPECT_EQ(of_type("c1", "judgement-types").size(), core::judgement_types().size())
      << "the catalog is sent once";
}

}  // namespace
