#include "worker_harness.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "core/setup_store.h"
#include "core/timefmt.h"

namespace harness {

std::unique_ptr<testenv::Process> start_worker(const std::string& database_url,
                                               const std::string& redis_url, const std::string& id,
                                               const std::string& work_root,
                                               const std::vector<std::string>& flags,
                                               const std::string& box_helper,
                                               const std::string& log_path) {
  std::vector<std::string> argv = {JUDGE_WORKER_PATH, "--worker-id", id,        "--work-root",
                                   work_root,         "--box-helper", box_helper};
  // exec keeps the worker's pid (signals and the exit status are its own).
  if (!log_path.empty())
    argv.insert(argv.begin(), {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>>'" + log_path + "'"});
  argv.insert(argv.end(), flags.begin(), flags.end());
  // The tests' programs are C, C++ and Python: self-testing the JVM languages at every worker
  // start would cost seconds of CPU each.
  if (std::find(flags.begin(), flags.end(), "--languages") == flags.end())
    argv.insert(argv.end(), {"--languages", kTestLanguages});
  std::vector<std::string> env = {"DATABASE_URL=" + database_url, "REDIS_URL=" + redis_url,
                                  "JUDGE_LOG_LEVEL=info"};
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
    if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
  return std::make_unique<testenv::Process>(argv, env);
}

namespace {

redisReply* run(void* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* ctx = static_cast<redisContext*>(context);
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!reply) throw std::runtime_error("redis " + args[0] + ": " + ctx->errstr);
  if (reply->type == REDIS_REPLY_ERROR) {
    std::string why(reply->str, reply->len);
    freeReplyObject(reply);
    throw std::runtime_error("redis " + args[0] + ": " + why);
  }
  return reply;
}

}  // namespace

Redis::Redis(const core::RedisAddress& address) {
  timeval timeout{5, 0};
  auto* ctx = redisConnectWithTimeout(address.host.c_str(), address.port, timeout);
  if (!ctx || ctx->err) {
    std::string why = ctx ? ctx->errstr : "out of memory";
    if (ctx) redisFree(ctx);
    throw std::runtime_error("cannot connect to Redis: " + why);
  }
  context_ = ctx;
  freeReplyObject(run(context_, {"SELECT", std::to_string(address.db)}));
}

Redis::~Redis() { redisFree(static_cast<redisContext*>(context_)); }

long long Redis::llen(const std::string& key) {
  redisReply* r = run(context_, {"LLEN", key});
  long long n = r->integer;
  freeReplyObject(r);
  return n;
}

std::vector<std::string> Redis::lrange(const std::string& key) {
  redisReply* r = run(context_, {"LRANGE", key, "0", "-1"});
  std::vector<std::string> out;
  for (size_t i = 0; i < r->elements; ++i) out.emplace_back(r->element[i]->str, r->element[i]->len);
  freeReplyObject(r);
  return out;
}

void Redis::lpush(const std::string& key, const std::string& value) {
  freeReplyObject(run(context_, {"LPUSH", key, value}));
}

void Redis::flushdb() { freeReplyObject(run(context_, {"FLUSHDB"})); }

const Program kPythonAC{"python3", "a, b = map(int, input().split())\nprint(a + b)\n", "AC"};
const Program kPythonWA{"python3", "input()\nprint(42)\n", "WA"};
const Program kPythonRTE{"python3", "raise SystemExit(3)\n", "RTE"};
const Program kPythonTLE{"python3", "while True:\n    pass\n", "TLE"};
const Program kCAC{"c",
                   "#include <stdio.h>\nint main(){long a,b;scanf(\"%ld %ld\",&a,&b);"
                   "printf(\"%ld\\n\",a+b);return 0;}\n",
                   "AC"};
const Program kCWA{"c", "#include <stdio.h>\nint main(){puts(\"42\");return 0;}\n", "WA"};
const Program kCCE{"c", "int main() { return nope; }\n", "CE"};
const Program kPythonSlowAC{"python3",
                            "import time\ntime.sleep(3)\na, b = map(int, input().split())\n"
                            "print(a + b)\n",
                            "AC"};

void seed_contest(core::Store& store, const std::string& contest_id,
                  const std::vector<std::string>& teams, int time_limit_ms) {
  core::SetupStore setup(store);
  setup.upsert_contest({contest_id, contest_id, contest_id, core::now_ms() - 60000, 3600000,
                        std::nullopt, 20, "pass-fail"});
  core::NewProblem sum;
  sum.problem.contest_id = contest_id;
  sum.problem.id = "sum";
  sum.problem.label = "A";
  sum.problem.name = "Sum";
  sum.problem.time_limit_ms = time_limit_ms;
  sum.problem.memory_limit_kib = 65536;
  sum.tests = {{"1 2\n", "3\n", true}, {"10 20\n", "30\n", false}};
  setup.replace_problem(sum);
  core::NewProblem slow = sum;
  slow.problem.id = "slow";
  slow.problem.label = "B";
  slow.problem.name = "Slow sum";
  slow.problem.time_limit_ms = 5000;
  // Data of its own (blobs are shared by content), so a test can break it alone.
  slow.tests = {{"2 3\n", "5\n", true}};
  setup.replace_problem(slow);
  for (const auto& team : teams) {
    setup.upsert_team({team, team, team});
    setup.add_team_to_contest(contest_id, team);
  }
}

double metric(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  return 0;
}

}  // namespace harness
