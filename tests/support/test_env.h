// Test support: the real Postgres and Redis that scripts/test starts, and a tiny HTTP client.
#pragma once

#include <functional>
#include <map>
#include <vector>
#include <string>

#include "core/queue.h"

namespace testenv {

// TEST_DATABASE_URL / TEST_REDIS_URL; fails the test (throws) with a clear message when unset.
std::string database_url();
core::RedisAddress redis_address();
std::string redis_url();

// A new, empty database on the test server with every migration applied; dropped by the
// returned guard's destructor.
class FreshDatabase {
 public:
  FreshDatabase();
  ~FreshDatabase();
  const std::string& url() const { return url_; }
  // Runs SQL on it directly (setup and assertions).
  std::string scalar(const std::string& sql);

 private:
  std::string name_, url_;
};

// Source tree root (JUDGE_SOURCE_DIR compile definition).
std::string source_dir();

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // Lower-case names.
  std::string body;
};
// One HTTP/1.1 request to 127.0.0.1:port with Connection: close.
HttpResponse http(int port, const std::string& method, const std::string& path,
                  const std::string& body = "", const std::map<std::string, std::string>& headers = {});
// The same from another source address, e.g. 127.0.0.2 (any 127.x.y.z is this host): what the
// API sees as the client's address.
HttpResponse http_from(const std::string& source, int port, const std::string& method,
                       const std::string& path, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});

int free_port();

}  // namespace testenv

namespace testenv {

// A child process started with posix_spawn; SIGTERM then SIGKILL on destruction.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Sends SIGTERM and waits up to timeout_ms; returns the exit status (or -1 if it had to be killed).
  int stop(int timeout_ms = 10000);
  bool running();
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int status_ = -1;
};

// Polls predicate every 50 ms until it is true or timeout_ms passes; returns its last value.
bool eventually(const std::function<bool()>& predicate, int timeout_ms);

// POST /api/auth/login; expects a 200 (a test failure otherwise) and returns the token.
std::string login(int port, const std::string& username, const std::string& password);

// Waits until 127.0.0.1:port answers GET /healthz with 200; false after timeout_ms.
bool wait_until_serving(int port, int timeout_ms);

}  // namespace testenv
