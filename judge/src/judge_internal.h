// Pieces of the pipeline shared by judge.cc and the custom validator code (output_validator.cc,
// interactive.cc). Not a public header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "judge/judge.h"

namespace judge::detail {

extern const std::vector<std::string> kEnv;  // Environment of every sandboxed program.

// At most max_bytes (all when negative) of the file; "" when it cannot be read.
std::string read_file(const std::string& path, int64_t max_bytes = -1);
void write_file(const std::string& path, const std::string& data);

// Compiles request.language's source in request.box_dir (through the compile cache). Returns
// false and fills outcome.compile_output on a compile error.
bool compile(Runner& runner, const JudgeRequest& request, JudgeOutcome& outcome);

// The submission's run on one test under the problem's limits (stdout to the scratch dir).
sandbox::RunSpec test_run_spec(const JudgeRequest& request, const TestFile& test);

// Compiles request.validator. On failure sets outcome to JE with validator_error.
bool compile_validator(Runner& runner, const JudgeRequest& request, JudgeOutcome& outcome);

struct ValidatorVerdict {
  std::optional<bool> accepted;  // Empty: the validator failed (JE).
  std::string message;           // For the jury: why.
  std::string judge_message;     // judgemessage.txt.
};

// A fresh dir holding the compiled validator, the test's input and answer: the validator's /box.
std::string prepare_validator_run(const JudgeRequest& request, const TestFile& test);
// The validator's run in run_dir; the caller sets stdin (and stdout when interactive).
sandbox::RunSpec validator_run_spec(const JudgeRequest& request, const std::string& run_dir);
// The validator's answer (42/43) or why it has none, and its judgemessage.txt.
ValidatorVerdict validator_verdict(const sandbox::RunResult& r, const sandbox::RunSpec& spec);

// Runs the compiled output validator on the team's output of one test.
ValidatorVerdict run_output_validator(Runner& runner, const JudgeRequest& request,
                                      const TestFile& test, const std::string& team_output);

// Runs the submission and the interactive validator together on one test.
TestResult run_interactive_test(Runner& runner, const JudgeRequest& request, const TestFile& test,
                                int ordinal);

}  // namespace judge::detail
