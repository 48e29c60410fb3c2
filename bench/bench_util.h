// Small helpers for the benchmarks that drive real servers: a child process, a keep-alive HTTP
// client for 127.0.0.1, latency statistics and the machine description for the README tables.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start);

// A child process started with posix_spawn; SIGTERM (then SIGKILL) on stop or destruction.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  int wait();  // Waits for the exit; returns the exit status (-1: killed by a signal).
  void stop();
  bool running();

 private:
  int pid_ = -1;
  int status_ = -1;
};

// Runs argv to the end; throws when it does not exit with 0.
void run_to_completion(const std::vector<std::string>& argv, const std::vector<std::string>& env);

int free_port();

struct HttpResponse {
  int status = 0;
  std::string body;
};

// HTTP/1.1 to 127.0.0.1:port over one kept-alive connection (reconnects when the server
// closes it). Not thread-safe.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});
  HttpResponse get(const std::string& path, const std::string& bearer = "");

 private:
  void connect();
  void close();
  bool exchange(const std::string& raw_request, HttpResponse& response);
  int port_;
  int fd_ = -1;
};

// Polls GET /healthz until it answers 200; false after timeout_ms.
bool wait_until_serving(int port, int timeout_ms);

struct Stats {
  double median = 0, p99 = 0, max = 0;
};
Stats stats(std::vector<double> samples_ms);

std::string machine();  // "N cores, Linux <release>"
std::string today();    // UTC date, YYYY-MM-DD.

}  // namespace bench
