// The one view of a CLICS object per caller (clics_view.h): rights, ?strict=, the extension table.
#include "resources/clics_view.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace api {
namespace {

using nlohmann::json;

Caller team() { return Caller{true, "team1", core::Role::Team, "t1"}; }
Caller jury() { return Caller{true, "jury1", core::Role::Jury, std::nullopt}; }

TEST(ClicsViewTest, StrictIsTrueOrFalseAndAnythingElseA400NamingIt) {
  EXPECT_EQ(parse_strictness(std::nullopt).value(), Strictness::Extended);
  EXPECT_EQ(parse_strictness("false").value(), Strictness::Extended);
  EXPECT_EQ(parse_strictness("true").value(), Strictness::Strict);
  for (const char* bad : {"", "1", "TRUE", "yes", "true "}) {
    auto parsed = parse_strictness(std::string(bad));
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().status, 400);
    EXPECT_NE(parsed.error().message.find("strict"), std::string::npos);
  }
}

TEST(ClicsViewTest, StrictRemovesEveryExtensionOfTheTypeAndNothingElse) {
  json judgement = {{"id", "5"},
                    {"judgement_type_id", "WA"},
                    {"current", true},
                    {"compile_output", "warning"},
                    {"max_run_time", 0.5}};
  EXPECT_EQ(viewed("judgements", judgement, {jury(), Strictness::Strict}),
            json({{"id", "5"}, {"judgement_type_id", "WA"}, {"max_run_time", 0.5}}));
  EXPECT_EQ(viewed("judgements", judgement, {jury()}), judgement);
  json submission = {{"id", "1"}, {"judging_state", "queued"}, {"entry_point", nullptr}};
  EXPECT_EQ(viewed("submissions", submission, {team(), Strictness::Strict}),
            json({{"id", "1"}, {"entry_point", nullptr}}));
  json run = {{"id", "2"}, {"memory_kib", 10}, {"run_time", 0.1}};
  EXPECT_EQ(viewed("runs", run, {team(), Strictness::Strict}),
            json({{"id", "2"}, {"run_time", 0.1}}));
  // A type without extensions is left as it is.
  json state = {{"started", nullptr}, {"finalized", nullptr}};
  EXPECT_EQ(viewed("state", state, {team(), Strictness::Strict}), state);
  EXPECT_TRUE(extension_keys("state").empty());
  // The contest keeps the spec's scoreboard_thaw_time and loses our medal settings.
  json contest = {{"id", "c"}, {"scoreboard_thaw_time", nullptr}, {"gold_medals", 4}};
  EXPECT_EQ(viewed("contest", contest, {team(), Strictness::Strict}),
            json({{"id", "c"}, {"scoreboard_thaw_time", nullptr}}));
  EXPECT_EQ(extension_keys("scoreboard-problem"), std::vector<std::string_view>{"first_to_solve"});
}

TEST(ClicsViewTest, CompileOutputIsTheJurysAndTheTeamsOnACompileError) {
  json wa = {{"id", "5"}, {"judgement_type_id", "WA"}, {"compile_output", "w"}};
  json ce = {{"id", "6"}, {"judgement_type_id", "CE"}, {"compile_output", "error"}};
  json running = {{"id", "7"}, {"judgement_type_id", nullptr}, {"compile_output", ""}};
  EXPECT_TRUE(viewed("judgements", wa, {jury()}).contains("compile_output"));
  EXPECT_FALSE(viewed("judgements", wa, {team()}).contains("compile_output"));
  EXPECT_FALSE(viewed("judgements", running, {team()}).contains("compile_output"));
  EXPECT_EQ(viewed("judgements", ce, {team()})["compile_output"], "error");
  EXPECT_FALSE(viewed("judgements", ce, {team(), Strictness::Strict}).contains("compile_output"));
}

TEST(ClicsViewTest, JudgeMessageIsTheJurysOnly) {
  json run = {{"id", "2"}, {"judge_message", "expected 42"}};
  EXPECT_EQ(viewed("runs", run, {jury()})["judge_message"], "expected 42");
  EXPECT_FALSE(viewed("runs", run, {team()}).contains("judge_message"));
  EXPECT_FALSE(viewed("runs", run, {Caller{}}).contains("judge_message"));
}

TEST(ClicsViewTest, ADeletionStaysNull) {
  EXPECT_TRUE(viewed("judgements", nullptr, {team(), Strictness::Strict}).is_null());
}

TEST(ClicsViewTest, TextIsCompactWithSortedKeysAndReplacesBadUtf8) {
  EXPECT_EQ(json_text(json::parse(R"({"b": 1, "a": [true, null]})")), R"({"a":[true,null],"b":1})");
  EXPECT_EQ(json_text(json(std::string("x\xff"))), "\"x\xef\xbf\xbd\"");
}

}  // namespace
}  // namespace api
