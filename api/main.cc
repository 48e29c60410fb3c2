// judge-api: the HTTP API of the contest judge. main() only wires things together: config,
// logging, metrics, the server, and a clean stop on SIGINT/SIGTERM.
#include <spdlog/spdlog.h>

#include <signal.h>

#include <iostream>

#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/signals.h"
#include "http/server.h"
#include "services/api_config.h"

namespace {

constexpr int kExitUsage = 2;

core::Options options_for(api::ApiConfig& c) {
  core::Options o("judge-api", "Serves the contest judge HTTP API (CLICS 2023-06 read side).");
  o.add("listen", "JUDGE_API_LISTEN", &c.listen, "host:port to listen on");
  o.add("database-url", "DATABASE_URL", &c.database_url, "Postgres connection URL");
  o.add("redis-url", "REDIS_URL", &c.redis_url, "Redis URL, redis://host[:port][/db]");
  o.add("jwt-secret", "JWT_SECRET", &c.jwt_secret, "HS256 key for bearer tokens (required)");
  o.add("token-ttl", "JWT_TTL_SECONDS", &c.token_ttl_seconds, "lifetime of login tokens, seconds");
  o.add("threads", "JUDGE_API_THREADS", &c.threads, "HTTP worker threads");
  o.add("max-source-kib", "JUDGE_MAX_SOURCE_KIB", &c.max_source_kib,
        "largest accepted submission source, KiB");
  o.add("feed-keepalive", "JUDGE_FEED_KEEPALIVE_SECONDS", &c.feed_keepalive_seconds,
        "newline on idle event feeds every N seconds (1-120)");
  o.add("feed-poll-ms", "JUDGE_FEED_POLL_MS", &c.feed_poll_ms,
        "how often event feeds look for new events, ms");
  o.add("max-event-feeds", "JUDGE_MAX_EVENT_FEEDS", &c.max_event_feeds,
        "open event-feed connections allowed (more get 503)");
  o.add("max-feeds-per-account", "JUDGE_MAX_FEEDS_PER_ACCOUNT", &c.max_feeds_per_account,
        "open event feeds of one login (more get 429)");
  o.add("max-feeds-per-address", "JUDGE_MAX_FEEDS_PER_ADDRESS", &c.max_feeds_per_address,
        "open anonymous event feeds from one client address (more get 429)");
  o.add("submit-rate-limit", "JUDGE_SUBMIT_RATE_LIMIT", &c.submit_rate_limit,
        "submissions per team and contest within the window (0: no limit)");
  o.add("submit-rate-window", "JUDGE_SUBMIT_RATE_WINDOW", &c.submit_rate_window_seconds,
        "the rate limit's sliding window, seconds");
  o.add("clar-rate-limit", "JUDGE_CLAR_RATE_LIMIT", &c.clar_rate_limit,
        "clarification requests per team and contest within the window (0: no limit)");
  o.add("clar-rate-window", "JUDGE_CLAR_RATE_WINDOW", &c.clar_rate_window_seconds,
        "the clarification rate limit's sliding window, seconds");
  o.add("login-fail-limit-account", "JUDGE_LOGIN_FAIL_LIMIT_ACCOUNT", &c.login_fail_limit_account,
        "failed logins per user name within the window (0: no limit)");
  o.add("login-fail-limit-address", "JUDGE_LOGIN_FAIL_LIMIT_ADDRESS", &c.login_fail_limit_address,
        "failed logins per client address within the window (0: no limit)");
  o.add("login-fail-window", "JUDGE_LOGIN_FAIL_WINDOW", &c.login_fail_window_seconds,
        "the failed-login limits' sliding window, seconds");
  o.add("password-check-threads", "JUDGE_PASSWORD_CHECK_THREADS", &c.password_check_threads,
        "threads that check passwords (0: half the CPU cores, at least 1)");
  o.add("password-check-queue", "JUDGE_PASSWORD_CHECK_QUEUE", &c.password_check_queue,
        "logins waiting for a password-check thread (more get 429)");
  o.add("log-level", "JUDGE_LOG_LEVEL", &c.log_level, "trace, debug, info, warn or error");
  o.add("scoreboard-cache", "JUDGE_SCOREBOARD_CACHE", &c.scoreboard_cache,
        "scoreboards kept in memory (one per contest and view); 0 disables the cache");
  o.add("metrics-token", "JUDGE_METRICS_TOKEN", &c.metrics_token,
        "when set, GET /metrics needs Authorization: Bearer TOKEN (or a jury login)");
  o.add("web-dir", "JUDGE_WEB_DIR", &c.web_dir,
        "serve the pages from this folder (e.g. api/web, to edit them without a rebuild)");
  return o;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  core::block_stop_signals();
  // A client that leaves mid-answer must cost a failed write, never the process.
  ::signal(SIGPIPE, SIG_IGN);
  api::ApiConfig config;
  core::Options options = options_for(config);
  if (auto error = options.parse({argv + 1, argv + argc}, core::environment(envp))) {
    std::cerr << "judge-api: " << *error << "\n";
    return kExitUsage;
  }
  if (options.help_requested()) {
    std::cout << options.help();
    return 0;
  }
  if (!options.positional().empty()) {
    std::cerr << "judge-api: unexpected argument '" << options.positional().front() << "'\n";
    return kExitUsage;
  }
  if (auto error = api::check_config(config)) {
    std::cerr << "judge-api: " << *error << "\n";
    return kExitUsage;
  }
  core::init_logging("api", config.log_level);

  core::Metrics metrics;
  api::describe_metrics(metrics);
  api::Server server(config, metrics);
  try {
    server.start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot serve listen={} error={}", config.listen, e.what());
    return 1;
  }
  spdlog::info("serving listen={} threads={}", config.listen, config.threads);

  int signal_number = core::wait_for_stop_signal();
  spdlog::info("stopping signal={}", signal_number);
  server.shutdown();
  spdlog::info("stopped");
  return 0;
}
