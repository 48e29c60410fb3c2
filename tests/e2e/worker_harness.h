// What the worker tests share: judge-worker processes with flags, a raw Redis client for what
// core::Queue does not offer (LRANGE, FLUSHDB, duplicate LPUSHes), a contest whose programs have
// known verdicts, and a Prometheus text reader.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/queue.h"
#include "core/store.h"
#include "test_env.h"

namespace harness {

// The languages test workers judge unless their flags name others (--languages).
inline constexpr const char* kTestLanguages = "c,cpp,python3";

// judge-worker with the test's servers and a work root of its own; flags are added as given.
// Its log (stderr) goes to log_path when given, else to the test's stderr.
std::unique_ptr<testenv::Process> start_worker(const std::string& database_url,
                                               const std::string& redis_url, const std::string& id,
                                               const std::string& work_root,
                                               const std::vector<std::string>& flags,
                                               const std::string& box_helper = JUDGE_BOX_PATH,
                                               const std::string& log_path = "");

// One connection to one Redis db; commands throw on errors.
class Redis {
 public:
  explicit Redis(const core::RedisAddress& address);
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;
  long long llen(const std::string& key);
  std::vector<std::string> lrange(const std::string& key);
  void lpush(const std::string& key, const std::string& value);
  void flushdb();

 private:
  void* context_ = nullptr;  // redisContext (hiredis stays out of this header).
};

// Programs with known verdicts on problem "sum" (a b -> a+b).
struct Program {
  const char* language;
  const char* source;
  const char* verdict;
};
extern const Program kPythonAC, kPythonWA, kPythonRTE, kPythonTLE, kCAC, kCWA, kCCE;
// Sleeps 3 s, then answers right: for the problem "slow" (5 s time limit).
extern const Program kPythonSlowAC;

// Contest `contest_id` with problems "sum" (time limit time_limit_ms, two tests) and "slow",
// and the given teams.
void seed_contest(core::Store& store, const std::string& contest_id,
                  const std::vector<std::string>& teams, int time_limit_ms = 1000);

// Value of one series in a /metrics text, e.g. `judge_worker_verdicts_total{verdict="AC"}`;
// 0 when the series is absent (counters start at nothing).
double metric(const std::string& text, const std::string& series);

}  // namespace harness
