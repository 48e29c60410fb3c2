// ProblemData: what a judge reads of a problem besides the problem row: its test cases and
// their content-addressed data, its output validator's sources and its scoring groups. Written
// by SetupStore with the problem.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/store.h"

namespace core {

class ProblemData {
 public:
  explicit ProblemData(Store& store) : db_(store.impl()) {}

  std::vector<TestCase> testcases(const std::string& contest_id, const std::string& problem_id);
  // A test file by its sha256 (TestCase::input_sha, answer_sha); empty: unknown.
  std::optional<std::string> blob(const std::string& sha256);
  // The custom output validator's source files (name, content); empty for default validation.
  std::vector<std::pair<std::string, std::string>> validator_files(const std::string& contest_id,
                                                                   const std::string& problem_id);
  // The test groups of a scored problem, by ordinal; empty: pass-fail.
  std::vector<TestGroup> problem_groups(const std::string& contest_id,
                                        const std::string& problem_id);

 private:
  Store::Impl& db_;
};

}  // namespace core
