#include "judge/judge.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "judge_internal.h"

namespace judge {
// Shared with the custom validator code (judge_internal.h).
namespace detail {

namespace fs = std::filesystem;

constexpr int64_t kCompileOutputMaxBytes = 64 * 1024;
// Wall clock for a test: CPU limit plus room for I/O and scheduling, so that a sleeping program
// ends as TLE without holding the slot for long.
constexpr int64_t kWallSlackMs = 1000;
constexpr int kRunProcesses = 64;

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}


std::string read_file(const std::string& path, int64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  if (max_bytes < 0) {
    text << in.rdbuf();
    return text.str();
  }
  std::string buf(static_cast<size_t>(max_bytes), '\0');
  in.read(buf.data(), max_bytes);
  buf.resize(static_cast<size_t>(in.gcount()));
  return buf;
}

void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  if (!out) throw std::runtime_error("cannot write " + path);
}

const std::vector<std::string> kEnv = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                                       "HOME=/box", "TMPDIR=/tmp"};

std::string describe_compile_failure(const sandbox::RunResult& r) {
  switch (r.limit_hit) {
    case sandbox::LimitHit::CpuTime:
    case sandbox::LimitHit::WallTime: return "compilation exceeded the time limit\n";
    case sandbox::LimitHit::Memory: return "compilation exceeded the memory limit\n";
    case sandbox::LimitHit::Output: return "compilation produced too much output\n";
    case sandbox::LimitHit::Processes: return "compilation exceeded the process limit\n";
    case sandbox::LimitHit::None: break;
  }
  if (r.oom_killed) return "compilation exceeded the memory limit\n";
  if (!r.exited) return "compiler killed by signal " + std::to_string(r.signal) + "\n";
  return "";
}

bool has_extension(const std::string& name, const std::vector<std::string>& extensions) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  return std::find(extensions.begin(), extensions.end(), name.substr(dot + 1)) != extensions.end();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

std::vector<SourceFile> box_files(const JudgeRequest& request) {
  if (!request.files.empty()) return request.files;
  return {{request.language.source_file, request.source}};
}

ArgvValues argv_values(const JudgeRequest& request) {
  ArgvValues values;
  for (const auto& f : box_files(request)) values.files.push_back(f.name);
  values.entry_point = request.entry_point;
  values.memory_limit_kib = request.limits.memory_limit_kib;
  return values;
}

// Compiles into request.box_dir. Returns false (and fills compile_output) on a compile error.
// Only successes are cached: a compile error is cheap to reproduce, and one caused by the host
// (the time limit on a loaded machine) must not stick to the source.
bool compile(Runner& runner, const JudgeRequest& request, JudgeOutcome& outcome) {
  if (request.language.compile_argv.empty()) return true;
  const bool cacheable = request.compile_cache && !request.compile_key.empty();
  if (cacheable) {
    if (auto output = request.compile_cache->restore(request.compile_key, request.box_dir)) {
      outcome.compile_output = std::move(*output);
      outcome.compile_cached = true;
      return true;
    }
  }
  sandbox::RunSpec spec;
  spec.argv = expand_argv(request.language.compile_argv, request.language, argv_values(request));
  spec.work_dir = request.box_dir;
  spec.work_dir_access = sandbox::WorkDirAccess::ReadWrite;
  spec.stdout_path = request.scratch_dir + "/compile.out";
  spec.stderr_path = spec.stdout_path;
  spec.env = kEnv;
  spec.limits = CompileLimits::defaults();
  sandbox::RunResult result = runner.run(spec);
  outcome.compile_output = read_file(spec.stdout_path, kCompileOutputMaxBytes);
  bool ok = result.exited && result.exit_code == 0 && result.limit_hit == sandbox::LimitHit::None;
  if (!ok) outcome.compile_output = describe_compile_failure(result) + outcome.compile_output;
  if (ok && cacheable)
    request.compile_cache->save(request.compile_key, request.box_dir, request.language.source_file,
                                outcome.compile_output);
  return ok;
}

sandbox::RunSpec test_run_spec(const JudgeRequest& request, const TestFile& test) {
  sandbox::RunSpec spec;
  spec.argv = expand_argv(request.language.run_argv, request.language, argv_values(request));
  spec.work_dir = request.box_dir;
  spec.work_dir_access = sandbox::WorkDirAccess::ReadOnly;
  spec.stdin_path = test.input_path;
  spec.stdout_path = request.scratch_dir + "/test.out";
  spec.stderr_path = request.scratch_dir + "/test.err";
  spec.env = kEnv;
  spec.limits.cpu_ms = request.limits.time_limit_ms;
  spec.limits.wall_ms = request.limits.time_limit_ms * 2 + kWallSlackMs;
  spec.limits.memory_kib = request.limits.memory_limit_kib;
  spec.limits.output_kib = request.output_limit_kib;
  spec.limits.processes = kRunProcesses;
  return spec;
}

// The verdict of one finished run: its output checked unless the run itself failed.
TestResult check_run(Runner& runner, const JudgeRequest& request, const TestFile& test,
                     const sandbox::RunSpec& spec, const sandbox::RunResult& facts) {
  TestResult result{test.id, 0, Verdict::JE, facts.cpu_ms, facts.wall_ms, facts.peak_memory_kib,
                    ""};
  std::optional<bool> accepted;
  if (output_needs_check(facts, request.limits) && request.validator) {
    ValidatorVerdict v = run_output_validator(runner, request, test, spec.stdout_path);
    result.message = v.message;
    result.judge_message = v.judge_message;
    if (!v.accepted) return result;  // The validator failed: JE.
    accepted = v.accepted;
  } else if (output_needs_check(facts, request.limits)) {
    Comparison c = compare_output(read_file(spec.stdout_path), read_file(test.answer_path),
                                  request.validator_flags);
    accepted = c.accepted;
    result.message = c.message;
  } else if (!facts.exited) {
    result.message = "killed by signal " + std::to_string(facts.signal);
  } else if (facts.exit_code != 0) {
    result.message = "exit code " + std::to_string(facts.exit_code);
  }
  result.verdict = classify_run(facts, request.limits, accepted);
  return result;
}

TestResult run_test(Runner& runner, const JudgeRequest& request, const TestFile& test,
                    int ordinal) {
  if (request.validator && request.validator->interactive) {
    auto started = Clock::now();
    TestResult result = run_interactive_test(runner, request, test, ordinal);
    result.run_host_ms = ms_since(started);  // Runs and validation are one.
    return result;
  }
  sandbox::RunSpec spec = test_run_spec(request, test);
  auto started = Clock::now();
  sandbox::RunResult facts = runner.run(spec);
  const double run_ms = ms_since(started);
  started = Clock::now();
  TestResult result = check_run(runner, request, test, spec, facts);
  result.ordinal = ordinal;
  result.run_host_ms = run_ms;
  result.check_host_ms = ms_since(started);
  return result;
}

// Runs every test a group's score depends on: a group stops at its first failure unless it
// continues on reject; other groups still run.
JudgeOutcome run_scored(Runner& runner, const JudgeRequest& request, JudgeOutcome outcome) {
  std::vector<bool> group_failed(request.groups.size() + 1, false);
  std::vector<int> test_groups;
  int ordinal = 0;
  for (const auto& test : request.tests) {
    ++ordinal;
    const size_t group = test.group > 0 ? static_cast<size_t>(test.group) : 0;
    if (group > request.groups.size()) throw std::runtime_error("test in an unknown group");
    test_groups.push_back(test.group);
    const bool pointless =
        group > 0 && group_failed[group] && !request.groups[group - 1].continue_on_reject;
    if (pointless) continue;  // Its group scores 0 already; the test gets no run.
    TestResult result = run_test(runner, request, test, ordinal);
    outcome.max_run_ms = std::max(outcome.max_run_ms.value_or(0), result.cpu_ms);
    if (result.verdict != Verdict::AC) group_failed[group] = true;
    outcome.tests.push_back(result);
  }
  // score_groups wants one verdict per test in order: skipped tests count as failed (JE never
  // shows: a skip only follows a failure of the same group, which decides the verdict first).
  std::vector<Verdict> verdicts(request.tests.size(), Verdict::JE);
  for (const auto& r : outcome.tests) verdicts[static_cast<size_t>(r.ordinal - 1)] = r.verdict;
  GroupScore scored = score_groups(request.groups, test_groups, verdicts);
  outcome.verdict = scored.verdict;
  outcome.score = scored.score;
  return outcome;
}

// Pass-fail problems: every test in order; the first non-AC test decides.
JudgeOutcome run_pass_fail(Runner& runner, const JudgeRequest& request, JudgeOutcome outcome) {
  outcome.verdict = Verdict::AC;
  int ordinal = 0;
  for (const auto& test : request.tests) {
    TestResult result = run_test(runner, request, test, ++ordinal);
    outcome.max_run_ms = std::max(outcome.max_run_ms.value_or(0), result.cpu_ms);
    outcome.tests.push_back(result);
    if (result.verdict != Verdict::AC) {
      outcome.verdict = result.verdict;
      break;
    }
  }
  return outcome;
}

}  // namespace detail

using detail::compile;
using detail::box_files;
using detail::has_extension;
using detail::replace_all;
using detail::write_file;

int64_t heap_mib(int64_t memory_limit_kib) {
  const int64_t mib = memory_limit_kib / 1024;
  return std::max<int64_t>(mib / 2, mib - 96);
}

std::vector<std::string> expand_argv(const std::vector<std::string>& argv,
                                     const LanguageSpec& language, const ArgvValues& values) {
  std::vector<std::string> sources;
  for (const auto& f : values.files)
    if (values.files.size() == 1 || has_extension(f, language.extensions)) sources.push_back(f);
  std::sort(sources.begin(), sources.end());
  std::vector<std::string> out;
  for (const auto& arg : argv) {
    if (arg == "{files}") {
      out.insert(out.end(), sources.begin(), sources.end());
      continue;
    }
    std::string expanded = arg;
    replace_all(expanded, "{entry}", values.entry_point);
    replace_all(expanded, "{entry_class}", values.entry_point);
    replace_all(expanded, "{heap_mib}", std::to_string(heap_mib(values.memory_limit_kib)));
    out.push_back(std::move(expanded));
  }
  return out;
}

sandbox::Limits CompileLimits::defaults() {
  sandbox::Limits limits;
  limits.cpu_ms = 30000;
  limits.wall_ms = 60000;
  limits.memory_kib = 1024 * 1024;
  limits.processes = 32;
  limits.output_kib = 64 * 1024;  // Object files and the binary: stdout is capped separately.
  limits.open_files = 256;
  return limits;
}

JudgeOutcome judge_submission(Runner& runner, const JudgeRequest& request) {
  JudgeOutcome outcome;
  for (const auto& f : box_files(request)) write_file(request.box_dir + "/" + f.name, f.content);
  auto started = detail::Clock::now();
  const bool compiled = compile(runner, request, outcome);
  outcome.timing.compile_ms = detail::ms_since(started);
  if (!compiled) {
    outcome.verdict = Verdict::CE;
    if (!request.groups.empty()) outcome.score = 0;
    return outcome;
  }
  started = detail::Clock::now();
  const bool validator_ready =
      !request.validator || detail::compile_validator(runner, request, outcome);
  outcome.timing.compile_ms += detail::ms_since(started);
  if (!validator_ready) return outcome;
  outcome = request.groups.empty() ? detail::run_pass_fail(runner, request, std::move(outcome))
                                   : detail::run_scored(runner, request, std::move(outcome));
  for (const auto& t : outcome.tests) {
    outcome.timing.runs_ms += t.run_host_ms;
    outcome.timing.check_ms += t.check_host_ms;
  }
  return outcome;
}

}  // namespace judge
