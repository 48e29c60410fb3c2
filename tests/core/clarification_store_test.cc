// ClarificationStore against the real Postgres: who sees which clarification, the event each
// writes in its transaction (with its team, the feed's visibility), ids chosen by an admin, the
// references a new one names, and finalizing waiting for every question's answer.
#include "core/clarification_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clics.h"
#include "core/contest_reads.h"
#include "core/event_log.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "test_env.h"

namespace {

using nlohmann::json;
constexpr int64_t kHour = 3'600'000;

class ClarificationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = std::make_unique<core::Store>(db.url());
    start_ms = core::now_ms() - kHour;
    ASSERT_TRUE(setup().insert_contest(
        {"c1", "Contest", "", start_ms, 5 * kHour, std::nullopt, 20, "pass-fail"}));
    core::NewProblem p;
    p.problem = {"c1", "A", "A", "Problem A"};
    p.tests = {{"1\n", "1\n", true}};
    ASSERT_TRUE(setup().insert_problem(p));
    ASSERT_TRUE(setup().insert_team("c1", {"t1", "Team 1", "", std::nullopt, {}}));
    ASSERT_TRUE(setup().insert_team("c1", {"t2", "Team 2", "", std::nullopt, {}}));
  }

  core::Clarification make(std::optional<std::string> from, std::optional<std::string> to,
                           std::optional<std::string> reply_to, const std::string& text) {
    core::Clarification c;
    c.contest_id = "c1";
    c.from_team_id = std::move(from);
    c.to_team_id = std::move(to);
    c.reply_to_id = std::move(reply_to);
    c.text = text;
    c.time_ms = core::now_ms();
    c.created_by = "tester";
    return c;
  }
  core::Clarification created(core::Clarification c) {
    EXPECT_EQ(clars().create(c), core::ClarificationInsert::Created);
    return c;
  }
  std::vector<std::string> texts(const core::ClarificationViewer& viewer) {
    std::vector<std::string> out;
    for (const auto& c : clars().clarifications("c1", viewer)) out.push_back(c.text);
    return out;
  }
  std::vector<core::Event> events() {
    std::vector<core::Event> out;
    for (auto& e : core::EventLog(*store).events("c1", 0, 100000))
      if (e.type == "clarifications") out.push_back(e);
    return out;
  }

  core::ClarificationStore clars() { return core::ClarificationStore(*store); }
  core::SetupStore setup() { return core::SetupStore(*store); }

  testenv::FreshDatabase db;
  std::unique_ptr<core::Store> store;
  int64_t start_ms = 0;
};

const core::ClarificationViewer kJury{true, std::nullopt};
const core::ClarificationViewer kTeam1{false, "t1"};
const core::ClarificationViewer kTeam2{false, "t2"};
const core::ClarificationViewer kAnonymous{false, std::nullopt};

TEST_F(ClarificationStoreTest, EachViewerSeesWhatCLICSGivesIt) {
  auto question = created(make("t1", std::nullopt, std::nullopt, "q1"));
  created(make(std::nullopt, "t1", question.id, "private answer"));
  created(make(std::nullopt, std::nullopt, question.id, "answer to all"));
  created(make(std::nullopt, std::nullopt, std::nullopt, "announcement"));
  created(make("t2", std::nullopt, std::nullopt, "q2"));

  EXPECT_EQ(texts(kJury), (std::vector<std::string>{"q1", "private answer", "answer to all",
                                                    "announcement", "q2"}));
  EXPECT_EQ(texts(kTeam1),
            (std::vector<std::string>{"q1", "private answer", "answer to all", "announcement"}));
  EXPECT_EQ(texts(kTeam2), (std::vector<std::string>{"answer to all", "announcement", "q2"}));
  EXPECT_EQ(texts(kAnonymous), (std::vector<std::string>{"answer to all", "announcement"}));
  EXPECT_TRUE(clars().clarification("c1", question.id, kTeam1));
  EXPECT_FALSE(clars().clarification("c1", question.id, kTeam2)) << "another team's question";
  EXPECT_FALSE(clars().clarification("c1", question.id, kAnonymous));
  EXPECT_FALSE(clars().clarification("c2", question.id, kJury)) << "another contest";
}

TEST_F(ClarificationStoreTest, EveryCreationWritesItsEventWithItsAudience) {
  auto question = created(make("t1", std::nullopt, std::nullopt, "q1"));
  auto answer = created(make(std::nullopt, "t1", question.id, "private answer"));
  auto to_all = created(make(std::nullopt, std::nullopt, std::nullopt, "to all"));
  auto feed = events();
  ASSERT_EQ(feed.size(), 3u);
  auto contest = core::ContestReads(*store).contest("c1");
  ASSERT_TRUE(contest);
  const core::Clarification* expected[] = {&question, &answer, &to_all};
  for (size_t i = 0; i < feed.size(); ++i) {
    EXPECT_EQ(feed[i].object_id, expected[i]->id);
    EXPECT_EQ(json::parse(feed[i].data), core::clarification_json(*expected[i], *contest));
  }
  EXPECT_EQ(feed[0].team_id, "t1");
  EXPECT_EQ(feed[1].team_id, "t1");
  EXPECT_FALSE(feed[2].team_id) << "a message to all is contest-wide";
  EXPECT_EQ(json::parse(feed[1].data)["reply_to_id"], question.id);
  EXPECT_EQ(json::parse(feed[1].data)["from_team_id"], nullptr);
}

TEST_F(ClarificationStoreTest, ChosenIdsAreKeptAndServerIdsContinueAboveDecimalOnes) {
  auto first = created(make(std::nullopt, std::nullopt, std::nullopt, "a"));
  auto chosen = make(std::nullopt, std::nullopt, std::nullopt, "b");
  chosen.id = "wf-1";
  EXPECT_EQ(created(chosen).id, "wf-1");
  auto decimal = make(std::nullopt, std::nullopt, std::nullopt, "c");
  decimal.id = std::to_string(std::stoll(first.id) + 1000);
  created(decimal);
  auto next = created(make(std::nullopt, std::nullopt, std::nullopt, "d"));
  EXPECT_GT(std::stoll(next.id), std::stoll(decimal.id));

  auto again = make(std::nullopt, std::nullopt, std::nullopt, "e");
  again.id = "wf-1";
  EXPECT_EQ(clars().create(again), core::ClarificationInsert::IdTaken);
  EXPECT_EQ(clars().clarifications("c1", kJury).size(), 4u) << "a taken id stores nothing";
  EXPECT_EQ(events().size(), 4u) << "and writes no event";
}

TEST_F(ClarificationStoreTest, ReferencesMustExistAndBeVisibleToTheSender) {
  auto question = created(make("t1", std::nullopt, std::nullopt, "q1"));
  auto fine = make("t1", std::nullopt, question.id, "follow-up");
  fine.problem_id = "A";
  auto refs = clars().refs("c1", fine, kTeam1);
  EXPECT_TRUE(refs.problem_exists && refs.from_team_registered && refs.to_team_registered &&
              refs.reply_to_visible && !refs.id_taken);

  auto bad = make("nobody", "t9", "404", "x");
  bad.problem_id = "Z";
  bad.id = question.id;
  refs = clars().refs("c1", bad, kJury);
  EXPECT_FALSE(refs.problem_exists);
  EXPECT_FALSE(refs.from_team_registered);
  EXPECT_FALSE(refs.to_team_registered);
  EXPECT_FALSE(refs.reply_to_visible);
  EXPECT_TRUE(refs.id_taken);

  // Team 2 cannot reply to team 1's question: for it the question does not exist.
  auto other = make("t2", std::nullopt, question.id, "me too");
  EXPECT_FALSE(clars().refs("c1", other, kTeam2).reply_to_visible);
  EXPECT_TRUE(clars().refs("c1", other, kJury).reply_to_visible);
}

TEST_F(ClarificationStoreTest, FinalizingWaitsForEveryQuestionsAnswer) {
  // An ended contest (started 6 h ago, 5 h long).
  ASSERT_TRUE(setup().insert_contest(
      {"c2", "Ended", "", core::now_ms() - 6 * kHour, 5 * kHour, std::nullopt, 20, "pass-fail"}));
  ASSERT_TRUE(setup().insert_team("c2", {"t3", "Team 3", "", std::nullopt, {}}));
  auto question = make("t3", std::nullopt, std::nullopt, "q");
  question.contest_id = "c2";
  question = created(question);
  EXPECT_EQ(clars().unanswered_questions("c2"), 1);
  auto follow_up = make("t3", std::nullopt, question.id, "still there?");
  follow_up.contest_id = "c2";
  follow_up = created(follow_up);
  EXPECT_EQ(clars().unanswered_questions("c2"), 2) << "a team's own reply answers nothing";
  EXPECT_EQ(setup().set_contest_finalized("c2", core::now_ms()), core::ContestUpdate::Conflict);

  for (const auto& id : {question.id, follow_up.id}) {
    auto answer = make(std::nullopt, "t3", id, "yes");
    answer.contest_id = "c2";
    created(answer);
  }
  EXPECT_EQ(clars().unanswered_questions("c2"), 0);
  EXPECT_EQ(clars().unanswered_questions("c1"), 0) << "counted per contest";
  EXPECT_EQ(setup().set_contest_finalized("c2", core::now_ms()), core::ContestUpdate::Updated);
}

}  // namespace
