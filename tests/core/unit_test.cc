// Pure parts of core: time formats, tokens, configuration parsing, queue keys and payloads.
#include <gtest/gtest.h>

#include <set>

#include "core/auth.h"
#include "core/config.h"
#include "core/queue.h"
#include "core/timefmt.h"

namespace {

TEST(TimeFormat, FormatsAndParsesClicsTime) {
  int64_t t = 1795860000123;  // 2026-11-28T10:00:00.123Z
  EXPECT_EQ(core::format_time(t), "2026-11-28T10:00:00.123+00:00");
  EXPECT_EQ(core::parse_time("2026-11-28T10:00:00.123+00:00"), t);
  EXPECT_EQ(core::parse_time("2026-11-28T11:00:00.123+01:00"), t);
  EXPECT_EQ(core::parse_time("2026-11-28T10:00:00.123Z"), t);
  EXPECT_EQ(core::parse_time("2026-11-28T10:00:00Z"), t - 123);
  EXPECT_FALSE(core::parse_time("2026-13-28T10:00:00Z"));
  EXPECT_FALSE(core::parse_time("yesterday"));
  EXPECT_FALSE(core::parse_time("2026-11-28T10:00:00"));  // No offset.
  // from_chars takes a sign: each field must still be digits only.
  for (const char* signed_field :
       {"-001-11-28T10:00:00Z", "2026-11-28T-1:00:00Z", "2026-11-28T10:-1:00Z",
        "2026-11-28T10:00:-1Z", "2026-11-28T10:00:00+-1:00", "2026-11-28T10:00:00+00:-1",
        "+026-11-28T10:00:00Z"})
    EXPECT_FALSE(core::parse_time(signed_field)) << signed_field;
  EXPECT_FALSE(core::parse_time("2026-11-28T10:00:00+24:00"));
  EXPECT_FALSE(core::parse_time("2026-11-28T10:00:00+01:60"));
}

TEST(TimeFormat, FormatsAndParsesRelTime) {
  EXPECT_EQ(core::format_reltime(5 * 3600000), "5:00:00.000");
  EXPECT_EQ(core::format_reltime(723456), "0:12:03.456");
  EXPECT_EQ(core::format_reltime(-1500), "-0:00:01.500");
  EXPECT_EQ(core::parse_reltime("0:12:03.456"), 723456);
  EXPECT_EQ(core::parse_reltime("-0:00:01.5"), -1500);
  EXPECT_EQ(core::parse_reltime("12:00:00"), 12 * 3600000);
  EXPECT_FALSE(core::parse_reltime("1:60:00"));
  EXPECT_FALSE(core::parse_reltime(":00:00"));
  for (const char* bad : {"--1:00:00", "1:-1:00", "1:00:-1", "+1:00:00", "-+1:00:00"})
    EXPECT_FALSE(core::parse_reltime(bad)) << bad;
  // Hours whose milliseconds overflow an int64 are refused, not undefined behaviour.
  EXPECT_FALSE(core::parse_reltime("9999999999999:00:00"));
  EXPECT_FALSE(core::parse_reltime("2562047788015:00:00"));
  EXPECT_EQ(core::parse_reltime("2562047788014:00:00"), int64_t{2562047788014} * 3600000);
}

TEST(Token, RoundTripsClaims) {
  core::TokenClaims claims{"team1", core::Role::Team, "t1", 2000};
  auto token = core::sign_token(claims, "secret");
  auto back = core::verify_token(token, "secret", 1000);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->username, "team1");
  EXPECT_EQ(back->role, core::Role::Team);
  EXPECT_EQ(back->team_id, "t1");
}

TEST(Token, RefusesExpiredForgedAndUnsigned) {
  auto token = core::sign_token({"admin", core::Role::Admin, std::nullopt, 2000}, "secret");
  EXPECT_FALSE(core::verify_token(token, "secret", 2000)) << "expired";
  EXPECT_FALSE(core::verify_token(token, "other", 1000)) << "wrong key";
  std::string tampered = token;
  tampered[tampered.find('.') + 2] ^= 1;
  EXPECT_FALSE(core::verify_token(tampered, "secret", 1000)) << "payload changed";
  // alg=none with an empty signature: {"alg":"none"} . {"sub":"admin","role":"admin","exp":9999}
  EXPECT_FALSE(core::verify_token(
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiIsImV4cCI6OTk5OX0.", "secret",
      1000));
  EXPECT_FALSE(core::verify_token("garbage", "secret", 1000));
  EXPECT_FALSE(core::verify_token("a.b.c", "secret", 1000));
}

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto hash = core::hash_password("hunter2");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(core::verify_password("hunter2", hash));
  EXPECT_FALSE(core::verify_password("hunter3", hash));
}

TEST(Options, FlagsOverrideEnvOverrideDefaults) {
  std::string url = "default-url", level = "info";
  int slots = 1;
  core::Options o("prog", "test");
  o.add("database-url", "DATABASE_URL", &url, "db");
  o.add("slots", "SLOTS", &slots, "slots");
  o.add("log-level", "LOG_LEVEL", &level, "level");
  auto error = o.parse({"--slots", "4", "--log-level=debug", "cmd"},
                       {{"DATABASE_URL", "env-url"}, {"SLOTS", "2"}});
  EXPECT_FALSE(error);
  EXPECT_EQ(url, "env-url");
  EXPECT_EQ(slots, 4);
  EXPECT_EQ(level, "debug");
  EXPECT_EQ(o.positional(), std::vector<std::string>{"cmd"});
  EXPECT_NE(o.help().find("DATABASE_URL"), std::string::npos);
}

TEST(Options, NamesTheBadOption) {
  int slots = 1;
  core::Options o("prog", "test");
  o.add("slots", "SLOTS", &slots, "slots");
  auto unknown = o.parse({"--slot", "2"}, {});
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->find("--slot"), std::string::npos);
  core::Options o2("prog", "test");
  o2.add("slots", "SLOTS", &slots, "slots");
  auto bad_env = o2.parse({}, {{"SLOTS", "many"}});
  ASSERT_TRUE(bad_env);
  EXPECT_NE(bad_env->find("SLOTS"), std::string::npos);
  auto missing = o2.parse({"--slots"}, {});
  ASSERT_TRUE(missing);
}

TEST(QueueKeys, RotationServesEveryContestFirstInTurn) {
  std::vector<std::string> keys = {"contest:rejudges:a", "contest:submissions:a",
                                   "contest:submissions:b", "contest:submissions:c"};
  std::set<std::string> firsts;
  for (uint64_t turn = 0; turn < 3; ++turn) {
    auto order = core::rotate_keys(keys, turn);
    ASSERT_EQ(order.size(), 4u);
    EXPECT_EQ(order.back(), "contest:rejudges:a") << "rejudges always after live keys";
    firsts.insert(order.front());
  }
  EXPECT_EQ(firsts.size(), 3u) << "each live contest comes first once per 3 turns";
  EXPECT_TRUE(core::rotate_keys({}, 7).empty());
}

TEST(QueueItems, EncodeDecodeAndRejectGarbage) {
  auto payload = core::encode_queue_item({42, "wf"});
  auto item = core::decode_queue_item(payload);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->submission_id, 42);
  EXPECT_EQ(item->contest_id, "wf");
  EXPECT_FALSE(core::decode_queue_item("not json"));
  EXPECT_FALSE(core::decode_queue_item(R"({"submission_id":"x","contest_id":"wf"})"));
  EXPECT_FALSE(core::decode_queue_item(R"({"submission_id":42,"contest_id":"wf"})"));
  EXPECT_FALSE(core::decode_queue_item(R"({"submission_id":"-1","contest_id":"wf"})"));
  EXPECT_FALSE(core::decode_queue_item(R"({"contest_id":"wf"})"));
}

TEST(RedisUrl, ParsesHostPortAndDb) {
  auto a = core::parse_redis_url("redis://127.0.0.1:6380/2");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->db, 2);
  EXPECT_EQ(core::parse_redis_url("redis://localhost")->port, 6379);
  EXPECT_FALSE(core::parse_redis_url("http://localhost"));
  EXPECT_FALSE(core::parse_redis_url("redis://host:notaport"));
  EXPECT_FALSE(core::parse_redis_url("redis://:6379"));
}

}  // namespace
