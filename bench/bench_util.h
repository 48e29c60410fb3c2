// Small helpers for the benchmarks that drive real servers: a child process, a keep-alive HTTP
// client for 127.0.0.1, latency statistics and the machine description for the README tables.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start);

// A child process started with posix_spawn; SIGTERM (then SIGKILL) on stop or destruction.
class Child {
 public:
  // output_path: the child's stdout and stderr go to this file (appended); empty: inherited.
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
        const std::string& output_path = "");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  int wait();  // Waits for the exit; returns the exit status (-1: killed by a signal).
  int pid() const { return pid_; }
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

// A benchmark's command-line flags, one at a time:
//   for (bench::Args args(argc, argv, "floors_bench.cc"); args.next();)
//     if (args.is("--runs")) c.runs = args.number(); else ... else args.unknown();
class Args {
 public:
  Args(int argc, char** argv, std::string source) : argc_(argc), argv_(argv), source_(source) {}
  bool next();  // Moves to the next flag; false after the last.
  bool is(const char* flag) const { return flag_ == flag; }
  std::string value();  // The flag's value: the next argument.
  int number();         // The value as an integer.
  [[noreturn]] void unknown() const;

 private:
  int argc_;
  char** argv_;
  std::string source_;  // Whose header comment documents the flags.
  int at_ = 0;
  std::string flag_;
};

// The servers a benchmark talks to: the flag's value, else DATABASE_URL / REDIS_URL (as
// scripts/bench sets them), else the ctest servers (TEST_DATABASE_URL, TEST_REDIS_URL with
// database test_db). Throws naming the missing one.
std::string postgres_url(const std::string& flag_value);
std::string redis_url(const std::string& flag_value, int test_db);

// A benchmark's main: runs body; on an exception prints "<name>: <message>" on one line of
// stderr (libpq's messages span several) and returns 1.
int run_main(const char* name, const std::function<int()>& body);

// CPU seconds: used so far by a process and its live descendants (with the children they have
// reaped), and by the whole machine (every core's non-idle time).
double tree_cpu_seconds(int root_pid);
double machine_cpu_seconds();

std::string machine();  // "N cores, Linux <release>"
std::string today();    // UTC date, YYYY-MM-DD.

// One line of the benchmark table that scripts/bench assembles for the README: what was
// measured, on what, how many samples, the figure, and the target or floor it is compared with.
struct Row {
  std::string benchmark;  // e.g. "floors", "pipeline", "api load"
  std::string measured;   // e.g. "Redis LPUSH+BRPOP round trip"
  std::string setup;      // e.g. "1 connection, 127.0.0.1"
  std::string samples;    // e.g. "2,000 round trips"
  std::string result;     // e.g. "0.05 ms median, 0.09 ms p99"
  std::string compared;   // e.g. "target >= 2,000/s: met", or a ratio to a floor; may be empty
};

// Prints the rows as a markdown table on stdout and appends them (rows only) to the file named by
// $JUDGE_BENCH_TABLE when set, where scripts/bench collects every benchmark's rows into one table.
void report(const std::vector<Row>& rows);
std::string table_header();  // The table's two header lines, each ending in a newline.

// printf into a std::string.
std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// "met" or "MISSED" after a target; `at_most` when smaller is better.
std::string verdict(double value, double target, bool at_most);

}  // namespace bench
