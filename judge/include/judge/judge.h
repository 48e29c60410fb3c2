// The judging pipeline: compile in the sandbox, run each test in order, compare, classify.
//
// judge/ knows nothing of HTTP, Redis or Postgres: the worker hands it a request with files on
// local disk and a Runner (the real sandbox, or a fake in tests) and records what comes back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "judge/compare.h"
#include "judge/scoring.h"
#include "judge/verdict.h"
#include "sandbox/sandbox.h"

namespace judge {

// Runs one program under limits. Throws sandbox::BoxError when the sandbox itself fails. The real
// one is BoxRunner (boxes.h); tests use fakes.
class Runner {
 public:
  virtual ~Runner() = default;
  virtual sandbox::RunResult run(const sandbox::RunSpec& spec) = 0;
  // Readies the runner on the calling thread before run() is called from a short-lived one: a
  // box's helper dies with the thread that started it.
  virtual void start() {}
};

// A language as data: how to name the source, how to compile it (empty: nothing to compile) and
// how to run the result, all relative to the box's work dir. The argv may hold placeholders,
// expanded per submission (expand_argv): {files}, {entry}, {entry_class}, {heap_mib}.
struct LanguageSpec {
  std::string id;
  std::string source_file;
  std::vector<std::string> compile_argv;
  std::vector<std::string> run_argv;
  std::vector<std::string> extensions;    // Of the files {files} names ("cpp", "cc"; no dot).
  std::vector<std::string> version_argv;  // Prints the compiler's version (compiler_version.h).
};

// A source file goes into the box by a plain name.
using domain::SourceFile;

// What the placeholders of a language's argv stand for in one submission.
struct ArgvValues {
  std::vector<std::string> files;  // All submitted files: {files} takes those of the language.
  std::string entry_point;         // {entry} and {entry_class}.
  int64_t memory_limit_kib = 0;    // {heap_mib}: room left for a runtime's own memory.
};

// argv with every placeholder replaced: "{files}" (a whole argument) becomes one argument per
// file with one of the language's extensions (or the only file, whatever its name), in name
// order; "{entry}", "{entry_class}" and "{heap_mib}" are replaced inside arguments.
std::vector<std::string> expand_argv(const std::vector<std::string>& argv,
                                     const LanguageSpec& language, const ArgvValues& values);

// The heap a JVM or V8 may grow to under a memory limit: half of it, or all but 96 MiB for
// metaspace, code and stacks, whichever is larger.
int64_t heap_mib(int64_t memory_limit_kib);

// Keeps what a successful compile left in the box, so unchanged code is not compiled again. The
// key names everything the result depends on (language, compiler version, argv, source).
class CompileCache {
 public:
  virtual ~CompileCache() = default;
  // Puts the files cached under key into box_dir and returns the compiler's output (warnings);
  // nothing on a miss (or a discarded bad entry).
  virtual std::optional<std::string> restore(const std::string& key,
                                             const std::string& box_dir) = 0;
  // Keeps box_dir's files (all but source_file) and the compiler's output under key. Never
  // throws: the cache is an optimisation.
  virtual void save(const std::string& key, const std::string& box_dir,
                    const std::string& source_file, const std::string& compile_output) = 0;
};

struct TestFile {
  int64_t id = 0;
  std::string input_path, answer_path;  // Host paths; never visible inside the box.
  int group = 0;  // Scored problems: 1-based index into JudgeRequest::groups; 0: none.
};

// A problem's custom output validator (ICPC/Kattis legacy format), compiled in the sandbox like
// a submission (see output_validator.h).
struct ValidatorProgram {
  LanguageSpec language;
  // Its sources by file name; the main source is stored under language.source_file.
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> flags;  // problem.yaml validator_flags, passed after feedback_dir.
  bool interactive = false;        // Runs alongside the submission, joined by pipes.
  std::string box_dir;             // Empty dir: the validator is compiled here.
  std::string compile_key;         // Compile cache key; empty: always compile.
};

struct JudgeRequest {
  LanguageSpec language;
  std::string source;             // Written as language.source_file when files is empty.
  std::vector<SourceFile> files;  // A multi-file (or named single-file) submission.
  std::string entry_point;        // Resolved by the caller (core::resolve_entry_point).
  std::vector<TestFile> tests;
  std::vector<TestGroup> groups;  // Non-empty: a scored problem (scoring.h rules).
  RunLimits limits;
  int64_t output_limit_kib = 8192;
  validator_rules::ValidatorFlags validator_flags;
  std::string box_dir;      // Empty dir, mounted as /box: source and binary live here.
  std::string scratch_dir;  // Host-only dir for program output.
  CompileCache* compile_cache = nullptr;  // Null or an empty key: always compile.
  std::string compile_key;
  std::optional<ValidatorProgram> validator;  // Set for validation: custom [interactive].
  Runner* validator_runner = nullptr;  // Interactive: a second box, the validator runs in it.
};

struct TestResult {
  int64_t test_id = 0;
  int ordinal = 0;
  Verdict verdict = Verdict::JE;
  int64_t cpu_ms = 0, wall_ms = 0, memory_kib = 0;
  std::string message;        // Comparison or crash detail for the jury.
  std::string judge_message;  // A custom validator's judgemessage.txt (jury only).
  double run_host_ms = 0;     // Host wall time of the sandbox run(s) and of checking the output:
  double check_host_ms = 0;   // the worker's phase breakdown, not a fact about the program.
};

// Host wall milliseconds of each step of judge_submission (the worker's phase breakdown).
struct JudgeTiming {
  double compile_ms = 0;  // Compile or compile cache restore, the validator's included.
  double runs_ms = 0;     // Sandbox runs of the tests.
  double check_ms = 0;    // Comparing output or running the output validator.
};

struct JudgeOutcome {
  Verdict verdict = Verdict::JE;
  std::string compile_output;
  // In order. Pass-fail: stops at the first non-AC test. Scored: every test except those a
  // group's earlier failure made pointless (on_reject: break).
  std::vector<TestResult> tests;
  std::optional<double> score;  // Scored problems (0 on a compile error).
  std::optional<int64_t> max_run_ms;
  bool compile_cached = false;  // The compile step was served from the compile cache.
  // Set when the verdict is JE because of the problem's validator (it did not compile, crashed,
  // or answered neither 42 nor 43): final, retrying would not change it.
  std::string validator_error;
  JudgeTiming timing;
};

// Compile and run limits that do not come from the problem.
struct CompileLimits {
  static sandbox::Limits defaults();
};

// Throws sandbox::BoxError (or std::runtime_error for local I/O) on infrastructure failure: the
// caller retries or records JE, never a wrong verdict.
JudgeOutcome judge_submission(Runner& runner, const JudgeRequest& request);

}  // namespace judge
