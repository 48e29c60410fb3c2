#include "services/api_config.h"

#include <gtest/gtest.h>

namespace api {
namespace {

ApiConfig valid() {
  ApiConfig c;
  c.database_url = "postgresql://judge@127.0.0.1/judge";
  c.jwt_secret = "s";
  return c;
}

TEST(ApiConfigTest, ParseListen) {
  auto a = parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_TRUE(parse_listen("0.0.0.0:1"));
  for (const char* bad : {"", "8080", ":8080", "host:", "host:0", "host:65536", "host:80x"}) {
    EXPECT_FALSE(parse_listen(bad)) << bad;
  }
}

TEST(ApiConfigTest, RefusesToStartWithoutJwtSecret) {
  ApiConfig c = valid();
  EXPECT_FALSE(check_config(c));
  c.jwt_secret.clear();
  auto error = check_config(c);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("JWT_SECRET"), std::string::npos);
}

TEST(ApiConfigTest, NamesTheBadField) {
  ApiConfig c = valid();
  c.threads = 0;
  EXPECT_NE(check_config(c)->find("--threads"), std::string::npos);
  c = valid();
  c.redis_url = "http://x";
  EXPECT_NE(check_config(c)->find("--redis-url"), std::string::npos);
  c = valid();
  c.log_level = "loud";
  EXPECT_NE(check_config(c)->find("--log-level"), std::string::npos);
  c = valid();
  c.submit_rate_limit = -1;
  EXPECT_NE(check_config(c)->find("--submit-rate-limit"), std::string::npos);
  c = valid();
  c.submit_rate_window_seconds = 0;
  EXPECT_NE(check_config(c)->find("--submit-rate-window"), std::string::npos);
  c = valid();
  c.clar_rate_limit = -1;
  EXPECT_NE(check_config(c)->find("--clar-rate-limit"), std::string::npos);
  c = valid();
  c.clar_rate_window_seconds = 0;
  EXPECT_NE(check_config(c)->find("--clar-rate-window"), std::string::npos);
  c = valid();
  c.submit_rate_limit = 0;
  c.clar_rate_limit = 0;
  EXPECT_FALSE(check_config(c)) << "0 turns the limits off";
  c.scoreboard_cache = -1;
  EXPECT_NE(check_config(c)->find("--scoreboard-cache"), std::string::npos);
  c.scoreboard_cache = 0;
  EXPECT_FALSE(check_config(c)) << "0 turns the cache off";
}

TEST(ApiConfigTest, LoginLimitsDefaultsAndBounds) {
  ApiConfig c = valid();
  EXPECT_EQ(c.login_fail_limit_account, 20);
  EXPECT_EQ(c.login_fail_limit_address, 10);
  EXPECT_LT(c.login_fail_limit_address, c.login_fail_limit_account)
      << "one address cannot lock an account by itself";
  EXPECT_EQ(c.login_fail_window_seconds, 60);
  c.login_fail_limit_account = 0;
  c.login_fail_limit_address = 0;
  c.password_check_threads = 0;
  c.password_check_queue = 0;
  EXPECT_FALSE(check_config(c)) << "0 turns limits off, picks the threads, queues nothing";
  const std::pair<const char*, int ApiConfig::*> fields[] = {
      {"--login-fail-limit-account", &ApiConfig::login_fail_limit_account},
      {"--login-fail-limit-address", &ApiConfig::login_fail_limit_address},
      {"--login-fail-window", &ApiConfig::login_fail_window_seconds},
      {"--password-check-threads", &ApiConfig::password_check_threads},
      {"--password-check-queue", &ApiConfig::password_check_queue}};
  for (const auto& [flag, field] : fields) {
    c = valid();
    c.*field = -1;
    auto error = check_config(c);
    ASSERT_TRUE(error) << flag;
    EXPECT_NE(error->find(flag), std::string::npos) << *error;
  }
  c = valid();
  c.login_fail_window_seconds = 0;
  EXPECT_NE(check_config(c)->find("--login-fail-window"), std::string::npos);
}

TEST(ApiConfigTest, RequestLimitFitsTheLargestSource) {
  ApiConfig c = valid();
  EXPECT_EQ(c.max_source_bytes(), 256u * 1024);
  EXPECT_EQ(c.max_request_bytes(), size_t{1} << 20);
  c.max_source_kib = 4096;
  EXPECT_GE(c.max_request_bytes(), 2 * c.max_source_bytes());
}

}  // namespace
}  // namespace api
