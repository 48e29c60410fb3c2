#include "resources/serialize.h"

#include <gtest/gtest.h>

namespace api {
namespace {

constexpr int64_t kStart = 1'700'000'000'000;  // 2023-11-14T22:13:20.000+00:00
constexpr int64_t kMinute = 60'000;

core::Contest contest() {
  core::Contest c;
  c.id = "c1";
  c.name = "Demo";
  c.start_ms = kStart;
  c.duration_ms = 300 * kMinute;
  return c;
}

TEST(SerializeTest, SubmissionHasClicsFieldsAndJudgingState) {
  core::Submission s;
  s.id = 17;
  s.contest_id = "c1";
  s.team_id = "t1";
  s.problem_id = "sum";
  s.language_id = "cpp";
  s.source = "secret source";
  s.submitted_ms = kStart + 12 * kMinute + 3'000;
  s.state = core::SubmissionState::Judging;
  json j = submission_json(s, contest());
  EXPECT_EQ(j["id"], "17");
  EXPECT_EQ(j["language_id"], "cpp");
  EXPECT_EQ(j["problem_id"], "sum");
  EXPECT_EQ(j["team_id"], "t1");
  EXPECT_EQ(j["time"], "2023-11-14T22:25:23.000+00:00");
  EXPECT_EQ(j["contest_time"], "0:12:03.000");
  EXPECT_TRUE(j["entry_point"].is_null());
  EXPECT_EQ(j["files"], json::parse(R"([{"href":"contests/c1/submissions/17/files",
                                          "mime":"application/zip"}])"));
  EXPECT_EQ(j["judging_state"], "judging");
  EXPECT_FALSE(j.contains("source"));  // The source is served by .../files only.
}

TEST(SerializeTest, FinishedJudgement) {
  core::Judgement jd;
  jd.id = 5;
  jd.submission_id = 17;
  jd.contest_id = "c1";
  jd.verdict = domain::Verdict::WA;
  jd.start_ms = kStart + kMinute;
  jd.end_ms = kStart + kMinute + 1'500;
  jd.max_run_time_ms = 31;
  jd.is_current = false;
  json j = judgement_json(jd, contest());
  EXPECT_EQ(j["id"], "5");
  EXPECT_EQ(j["submission_id"], "17");
  EXPECT_EQ(j["judgement_type_id"], "WA");
  EXPECT_EQ(j["start_contest_time"], "0:01:00.000");
  EXPECT_EQ(j["end_time"], "2023-11-14T22:14:21.500+00:00");
  EXPECT_EQ(j["end_contest_time"], "0:01:01.500");
  EXPECT_DOUBLE_EQ(j["max_run_time"].get<double>(), 0.031);
  EXPECT_EQ(j["current"], false);
}

TEST(SerializeTest, UnfinishedJudgementHasNullEnds) {
  core::Judgement jd;
  jd.id = 6;
  jd.submission_id = 17;
  jd.start_ms = kStart;
  json j = judgement_json(jd, contest());
  EXPECT_TRUE(j["judgement_type_id"].is_null());
  EXPECT_TRUE(j["end_time"].is_null());
  EXPECT_TRUE(j["end_contest_time"].is_null());
  EXPECT_TRUE(j["max_run_time"].is_null());
}

TEST(SerializeTest, ContestPenaltyOnlyForPassFail) {
  core::Contest c = contest();
  json pass_fail = contest_json(c);
  EXPECT_EQ(pass_fail["penalty_time"], 20);
  EXPECT_EQ(pass_fail["duration"], "5:00:00.000");
  EXPECT_EQ(pass_fail["start_time"], "2023-11-14T22:13:20.000+00:00");
  EXPECT_TRUE(pass_fail["scoreboard_freeze_duration"].is_null());
  EXPECT_EQ(pass_fail["formal_name"], "Demo");
  c.scoreboard_type = "score";
  c.start_ms.reset();
  c.freeze_ms = 60 * kMinute;
  json score = contest_json(c);
  EXPECT_FALSE(score.contains("penalty_time"));
  EXPECT_TRUE(score["start_time"].is_null());
  EXPECT_EQ(score["scoreboard_freeze_duration"], "1:00:00.000");
}

TEST(SerializeTest, LanguageCommands) {
  core::Language l;
  l.id = "cpp";
  l.name = "C++";
  l.extensions = {"cc", "cpp"};
  l.compile_argv = {"g++", "-O2", "-o", "main", "main.cpp"};
  l.run_argv = {"./main"};
  json j = language_json(l);
  EXPECT_EQ(j["entry_point_required"], false);
  EXPECT_FALSE(j.contains("entry_point_name"));
  EXPECT_EQ(j["extensions"], json::array({"cc", "cpp"}));
  EXPECT_EQ(j["compiler"], json::parse(R"({"command":"g++","args":"-O2 -o main main.cpp"})"));
  EXPECT_EQ(j["runner"], json::parse(R"({"command":"./main"})"));
  l.compile_argv.clear();
  EXPECT_TRUE(language_json(l)["compiler"].is_null());
  // CLICS: entry_point_name exactly when an entry point is required.
  l.entry_kind = core::EntryKind::JavaClass;
  EXPECT_EQ(language_json(l)["entry_point_required"], true);
  EXPECT_EQ(language_json(l)["entry_point_name"], "Main class");
  l.entry_kind = core::EntryKind::File;
  EXPECT_EQ(language_json(l)["entry_point_name"], "Main file");
}

TEST(SerializeTest, ProblemTimeLimitInSeconds) {
  core::Problem p;
  p.id = "sum";
  p.label = "A";
  p.name = "Sum";
  p.time_limit_ms = 2500;
  p.test_count = 3;
  json j = problem_json(p);
  EXPECT_DOUBLE_EQ(j["time_limit"].get<double>(), 2.5);
  EXPECT_EQ(j["test_data_count"], 3);
  EXPECT_EQ(j["label"], "A");
  EXPECT_FALSE(j.contains("rgb"));
}

TEST(SerializeTest, JudgementTypesPenaltyAndSolved) {
  ASSERT_NE(find_judgement_type("AC"), nullptr);
  EXPECT_TRUE(find_judgement_type("AC")->solved);
  EXPECT_FALSE(find_judgement_type("AC")->penalty);
  for (const char* id : {"WA", "TLE", "RTE", "MLE", "OLE"}) {
    ASSERT_NE(find_judgement_type(id), nullptr) << id;
    EXPECT_TRUE(find_judgement_type(id)->penalty) << id;
    EXPECT_FALSE(find_judgement_type(id)->solved) << id;
  }
  for (const char* id : {"CE", "JE"}) {
    ASSERT_NE(find_judgement_type(id), nullptr) << id;
    EXPECT_FALSE(find_judgement_type(id)->penalty) << id;
  }
  EXPECT_EQ(find_judgement_type("XX"), nullptr);
  EXPECT_EQ(judgement_type_json(*find_judgement_type("TLE")),
            json::parse(R"({"id":"TLE","name":"Time Limit Exceeded","penalty":true,
                            "solved":false})"));
}

TEST(SerializeTest, ErrorBody) {
  EXPECT_EQ(json::parse(error_body(422, "unknown \"x\"")),
            json::parse(R"({"code":422,"message":"unknown \"x\""})"));
}

TEST(SerializeTest, InvalidUtf8NeverThrows) {
  const std::string bad = "unknown problem '\xff\xfe'";
  std::string body;
  ASSERT_NO_THROW(body = error_body(422, bad));
  EXPECT_EQ(json::parse(body)["code"], 422);
  EXPECT_EQ(log_quote("a\"b\nc"), R"("a\"b\nc")");
  EXPECT_NO_THROW(log_quote("\xc3"));
}

core::Scoreboard sample_board(bool score_contest) {
  core::Scoreboard board;
  board.score_contest = score_contest;
  core::ScoreboardRow row;
  row.rank = 1;
  row.team_id = "t1";
  row.num_solved = 1;
  row.total_time = 32;
  row.score = 1;
  row.last_ac_minutes = 12;
  core::ScoreboardCell solved{"A", 2, 0, true, 1, 12, true};
  core::ScoreboardCell open{"B", 1, 1, false, 0, std::nullopt, false};
  row.problems = {solved, open};
  board.rows.push_back(row);
  return board;
}

TEST(SerializeTest, PassFailScoreboardHasClicsShape) {
  core::ContestState state;
  state.started = kStart;
  json j = scoreboard_json(sample_board(false), contest(), state, kStart + 90 * kMinute);
  EXPECT_EQ(j["time"], "2023-11-14T23:43:20.000+00:00");
  EXPECT_EQ(j["contest_time"], "1:30:00.000");
  EXPECT_EQ(j["state"]["started"], "2023-11-14T22:13:20.000+00:00");
  EXPECT_TRUE(j["state"]["ended"].is_null());
  ASSERT_EQ(j["rows"].size(), 1u);
  const json& row = j["rows"][0];
  EXPECT_EQ(row["rank"], 1);
  EXPECT_EQ(row["team_id"], "t1");
  EXPECT_EQ(row["score"], (json{{"num_solved", 1}, {"total_time", 32}}));
  EXPECT_EQ(row["problems"][0], (json{{"problem_id", "A"},
                                      {"num_judged", 2},
                                      {"num_pending", 0},
                                      {"solved", true},
                                      {"time", 12},
                                      {"first_to_solve", true}}));
  EXPECT_FALSE(row["problems"][1].contains("time")) << "CLICS: no time unless solved";
  EXPECT_EQ(row["problems"][1]["num_pending"], 1);
  EXPECT_FALSE(row["problems"][1].contains("score"));
}

TEST(SerializeTest, ScoreContestScoreboardCarriesScoreNotSolved) {
  json j = scoreboard_json(sample_board(true), contest(), {}, kStart);
  const json& row = j["rows"][0];
  EXPECT_EQ(row["score"], (json{{"score", 1.0}, {"time", 12}}));
  EXPECT_FALSE(row["problems"][0].contains("solved"));
  EXPECT_EQ(row["problems"][0]["score"], 1.0);
  EXPECT_EQ(row["problems"][0]["time"], 12);
  EXPECT_FALSE(row["problems"][1].contains("time"));
}

// The API caches the rows text and adds the fields of the moment around it.
TEST(SerializeTest, ScoreboardTextSplicesCachedRowsIntoTheDocument) {
  auto board = sample_board(false);
  board.rows[0].team_id = "t\"1\\\u00e9";  // Quote, backslash, non-ASCII: the slow path.
  const std::string rows = scoreboard_rows_text(board);
  json j = json::parse(scoreboard_text(rows, contest(), {}, kStart + 90 * kMinute));
  EXPECT_EQ(j["rows"][0]["team_id"], "t\"1\\\u00e9");
  EXPECT_EQ(j["rows"], json::parse(rows));
  EXPECT_EQ(j["contest_time"], "1:30:00.000");
  EXPECT_TRUE(j["state"].is_object());
  EXPECT_EQ(j.size(), 4u) << j.dump();
  json empty = json::parse(scoreboard_text(scoreboard_rows_text({}), contest(), {}, kStart));
  EXPECT_EQ(empty["rows"], json::array());
}

TEST(SerializeTest, StateHasEveryFieldNullUntilItHappened) {
  core::ContestState state;
  state.started = kStart;
  state.frozen = kStart + kMinute;
  json j = state_json(state);
  for (const char* field : {"ended", "thawed", "finalized", "end_of_updates"})
    EXPECT_TRUE(j.contains(field) && j[field].is_null()) << field;
  EXPECT_EQ(j["frozen"], "2023-11-14T22:14:20.000+00:00");
}

TEST(SerializeTest, ContestShowsTheThawTimeOnceSet) {
  auto c = contest();
  EXPECT_FALSE(contest_json(c).contains("scoreboard_thaw_time"));
  c.thawed_ms = kStart;
  EXPECT_EQ(contest_json(c)["scoreboard_thaw_time"], "2023-11-14T22:13:20.000+00:00");
}
}  // namespace
}  // namespace api
