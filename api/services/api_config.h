// judge-api configuration: one struct, filled once in main() from flags > env > defaults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/config.h"

namespace api {

struct ApiConfig {
  std::string listen = "127.0.0.1:8080";             // host:port the HTTP server binds.
  std::string database_url = "postgresql://judge@127.0.0.1:25432/judge";  // libpq connection string / URL for Postgres.
  std::string redis_url = "redis://127.0.0.1:26379";  // Redis holding the submission queues.
  std::string jwt_secret;                            // HS256 key for bearer tokens; required.
  int token_ttl_seconds = 43200;   // Lifetime of tokens issued by /api/auth/login.
  int threads = 2;                 // Pistache worker threads (one Store+Queue each).
  int max_source_kib = 256;        // Largest accepted submission source, in KiB.
  // Per team and contest: at most this many submissions in any window (0: no limit). Jury and
  // admin are never limited. Shared by all API processes through Redis.
  int submit_rate_limit = 10;
  int submit_rate_window_seconds = 60;
  // The same for clarification requests (questions) of a team: at most this many per window.
  int clar_rate_limit = 5;
  int clar_rate_window_seconds = 60;
  // Failed logins (HTTP Basic too) per user name and per client address in any window; more are
  // refused (429) without checking the password. 0: no limit. One address stays below the
  // account's limit, so that it cannot lock an account by itself.
  int login_fail_limit_account = 20;
  int login_fail_limit_address = 10;
  int login_fail_window_seconds = 60;
  int password_check_threads = 0;  // Threads that hash passwords; 0: half the CPU cores (>= 1).
  int password_check_queue = 16;   // Logins waiting for a check thread; more get a 429.
  std::string log_level = "info";  // trace|debug|info|warn|error.
  int feed_keepalive_seconds = 30;  // Idle event feeds get a newline this often (CLICS: <= 120).
  int feed_poll_ms = 200;           // How often event feeds look for new events.
  int max_event_feeds = 256;        // Open event-feed connections; more get a 503.
  int max_feeds_per_account = 8;    // Of those, one login's; more get a 429.
  int max_feeds_per_address = 32;   // Of those, anonymous ones from one address; more get a 429.
  int scoreboard_cache = 16;       // Scoreboards kept in memory (per contest and view); 0: none.
  // When set, GET /metrics needs "Authorization: Bearer <token>" (or a jury login); otherwise
  // anyone may read it.
  std::string metrics_token;
  std::string web_dir;  // Serve the pages from this folder (api/web) instead of the built-in copy.

  size_t max_source_bytes() const { return static_cast<size_t>(max_source_kib) * 1024; }
  // The request body size limit (413 above it): room for the largest source even if JSON escaping
  // doubles it, and never below 1 MiB so that small bodies are never refused.
  size_t max_request_bytes() const;
};

// host:port parsing is shared with the worker's metrics port (core/config.h).
using core::ListenAddress;
using core::parse_listen;

// Checks the filled config; returns a message naming the first bad field, or nothing.
std::optional<std::string> check_config(const ApiConfig& config);

}  // namespace api
