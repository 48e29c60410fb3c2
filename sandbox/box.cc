// sandbox::Box: runs the judge-box helper (see helper/judge_box_main.cc) and turns its answer
// into a RunResult or a BoxError.
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "sandbox/sandbox.h"

namespace sandbox {
namespace {

namespace bp = boost::process;

// judge-box's documented exit status for its own failures.
constexpr int kHelperFailureExit = 2;

std::vector<std::string> helper_args(const BoxConfig& config, const RunSpec& spec) {
  const Limits& l = spec.limits;
  std::vector<std::string> args = {
      "--slot",       std::to_string(config.slot),
      "--tag",        config.tag,
      "--cpu-ms",     std::to_string(l.cpu_ms),
      "--wall-ms",    std::to_string(l.wall_ms),
      "--mem-kib",    std::to_string(l.memory_kib),
      "--procs",      std::to_string(l.processes),
      "--out-kib",    std::to_string(l.output_kib),
      "--open-files", std::to_string(l.open_files),
      "--work-dir",   spec.work_dir,
  };
  if (spec.work_dir_access == WorkDirAccess::ReadWrite) args.emplace_back("--rw");
  auto add = [&args](const char* option, const std::string& value) {
    if (value.empty()) return;
    args.emplace_back(option);
    args.push_back(value);
  };
  add("--stdin", spec.stdin_path);
  add("--stdout", spec.stdout_path);
  add("--stderr", spec.stderr_path);
  for (const auto& kv : spec.env) add("--env", kv);
  args.emplace_back("--");
  args.insert(args.end(), spec.argv.begin(), spec.argv.end());
  return args;
}

LimitHit parse_limit(const std::string& name) {
  static const std::pair<const char*, LimitHit> kNames[] = {
      {"none", LimitHit::None},     {"cpu", LimitHit::CpuTime},
      {"wall", LimitHit::WallTime}, {"memory", LimitHit::Memory},
      {"output", LimitHit::Output}, {"processes", LimitHit::Processes},
  };
  for (const auto& [text, value] : kNames) {
    if (name == text) return value;
  }
  throw BoxError("judge-box: unknown limit_hit '" + name + "'");
}

RunResult parse_facts(const std::string& out) {
  try {
    auto j = nlohmann::json::parse(out);
    RunResult r;
    r.exited = j.at("exited").get<bool>();
    r.exit_code = j.at("exit_code").get<int>();
    r.signal = j.at("signal").get<int>();
    r.cpu_ms = j.at("cpu_ms").get<int64_t>();
    r.wall_ms = j.at("wall_ms").get<int64_t>();
    r.peak_memory_kib = j.at("peak_memory_kib").get<int64_t>();
    r.oom_killed = j.at("oom_killed").get<bool>();
    r.limit_hit = parse_limit(j.at("limit_hit").get<std::string>());
    r.output_truncated = j.at("output_truncated").get<bool>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw BoxError(std::string("judge-box: bad facts line: ") + e.what() + ": " + out);
  }
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

Box::Box(BoxConfig config) : config_(std::move(config)) {}

RunResult Box::run(const RunSpec& spec) {
  if (spec.argv.empty()) throw BoxError("Box::run: empty argv");
  boost::asio::io_context io;
  std::future<std::string> out;
  std::future<std::string> err;
  std::error_code launch_error;
  // Both pipes are read asynchronously so that neither can fill up and block the helper.
  bp::child helper(bp::exe = config_.helper_path, bp::args = helper_args(config_, spec),
                   bp::std_in<bp::null, bp::std_out> out, bp::std_err > err, io, launch_error);
  if (launch_error) throw BoxError("launch " + config_.helper_path + ": " + launch_error.message());
  io.run();
  helper.wait();
  int status = helper.native_exit_code();
  std::string err_text = trimmed(err.get());
  if (WIFSIGNALED(status)) {
    throw BoxError("judge-box killed by signal " + std::to_string(WTERMSIG(status)) + ": " +
                   err_text);
  }
  int code = WEXITSTATUS(status);
  if (code == kHelperFailureExit) throw BoxError(err_text);
  if (code != 0) throw BoxError("judge-box exited " + std::to_string(code) + ": " + err_text);
  return parse_facts(out.get());
}

const char* to_string(LimitHit limit) {
  switch (limit) {
    case LimitHit::None:
      return "none";
    case LimitHit::CpuTime:
      return "cpu";
    case LimitHit::WallTime:
      return "wall";
    case LimitHit::Memory:
      return "memory";
    case LimitHit::Output:
      return "output";
    case LimitHit::Processes:
      return "processes";
  }
  return "unknown";
}

}  // namespace sandbox
