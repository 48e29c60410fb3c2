// Custom output validators, ICPC/Kattis legacy format: the validator runs in the sandbox as
// `validator input answer feedback_dir [flags] < team_output` and exits 42 (accept) or 43
// (reject); anything else is a judge error, never a verdict about the submission.
#include "judge/output_validator.h"

#include <filesystem>
#include <system_error>

#include "judge_internal.h"

namespace judge {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kJudgeMessageMaxBytes = 64 * 1024;
constexpr int64_t kValidatorErrMaxBytes = 2 * 1024;

// Hard links are free; a copy when the dirs are on different file systems.
void link_or_copy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

std::string describe_failure(const sandbox::RunResult& r) {
  if (r.limit_hit != sandbox::LimitHit::None)
    return std::string("validator exceeded its ") + sandbox::to_string(r.limit_hit) + " limit";
  if (r.oom_killed) return "validator exceeded its memory limit";
  if (!r.exited) return "validator killed by signal " + std::to_string(r.signal);
  return "validator exited with code " + std::to_string(r.exit_code) + " (expected 42 or 43)";
}

}  // namespace

sandbox::Limits ValidatorLimits::defaults() {
  sandbox::Limits limits;
  limits.cpu_ms = 30000;
  limits.wall_ms = 30000;
  limits.memory_kib = 2 * 1024 * 1024;
  limits.processes = 64;
  limits.output_kib = 64 * 1024;
  limits.open_files = 64;
  return limits;
}

namespace detail {

bool compile_validator(Runner& runner, const JudgeRequest& request, JudgeOutcome& outcome) {
  const ValidatorProgram& v = *request.validator;
  fs::create_directories(v.box_dir);
  for (const auto& [name, content] : v.files) write_file(v.box_dir + "/" + name, content);
  JudgeRequest compile_request;
  compile_request.language = v.language;
  compile_request.box_dir = v.box_dir;
  compile_request.scratch_dir = request.scratch_dir;
  compile_request.compile_cache = request.compile_cache;
  compile_request.compile_key = v.compile_key;
  compile_request.entry_point = v.language.source_file;
  JudgeOutcome compiled;
  if (compile(runner, compile_request, compiled)) return true;
  outcome.verdict = Verdict::JE;
  outcome.validator_error =
      "the problem's output validator does not compile:\n" + compiled.compile_output;
  return false;
}

std::string prepare_validator_run(const JudgeRequest& request, const TestFile& test) {
  const std::string dir = request.scratch_dir + "/validator-run";
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(request.validator->box_dir)) {
    if (entry.is_regular_file()) link_or_copy(entry.path(), dir / entry.path().filename());
  }
  link_or_copy(test.input_path, fs::path(dir) / kValidatorInput);
  link_or_copy(test.answer_path, fs::path(dir) / kValidatorAnswer);
  return dir;
}

sandbox::RunSpec validator_run_spec(const JudgeRequest& request, const std::string& run_dir) {
  const ValidatorProgram& v = *request.validator;
  sandbox::RunSpec spec;
  spec.limits = ValidatorLimits::defaults();
  ArgvValues values{{v.language.source_file}, v.language.source_file, spec.limits.memory_kib};
  spec.argv = expand_argv(v.language.run_argv, v.language, values);
  for (const char* arg : {kValidatorInput, kValidatorAnswer, kFeedbackDir})
    spec.argv.push_back(arg);
  spec.argv.insert(spec.argv.end(), v.flags.begin(), v.flags.end());
  spec.work_dir = run_dir;
  spec.work_dir_access = sandbox::WorkDirAccess::ReadWrite;  // /box is the feedback dir.
  spec.stdout_path = request.scratch_dir + "/validator.out";
  spec.stderr_path = request.scratch_dir + "/validator.err";
  spec.env = kEnv;
  return spec;
}

ValidatorVerdict validator_verdict(const sandbox::RunResult& r, const sandbox::RunSpec& spec) {
  ValidatorVerdict v;
  v.judge_message = read_file(spec.work_dir + "/judgemessage.txt", kJudgeMessageMaxBytes);
  const bool answered = r.exited && r.limit_hit == sandbox::LimitHit::None && !r.oom_killed &&
                        (r.exit_code == kValidatorAccept || r.exit_code == kValidatorReject);
  if (answered) {
    v.accepted = r.exit_code == kValidatorAccept;
    v.message = *v.accepted ? "validator accepted" : "validator rejected";
    return v;
  }
  v.message = describe_failure(r);
  std::string err = read_file(spec.stderr_path, kValidatorErrMaxBytes);
  if (!err.empty()) v.message += "; stderr: " + err;
  return v;
}

ValidatorVerdict run_output_validator(Runner& runner, const JudgeRequest& request,
                                      const TestFile& test, const std::string& team_output) {
  sandbox::RunSpec spec = validator_run_spec(request, prepare_validator_run(request, test));
  spec.stdin_path = team_output;
  return validator_verdict(runner.run(spec), spec);
}

}  // namespace detail
}  // namespace judge
