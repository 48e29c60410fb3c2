// Private to package/: scoring problems (test groups from data/secret and testdata.yaml) and
// jury submissions (submissions/<folder>/), beside the Parser of problem_package.cc.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <vector>

#include "core/setup_store.h"
#include "package/problem_package.h"

namespace package {

// Throws PackageError(422) naming the file.
using FailFn = std::function<void(const std::string& file, const std::string& why)>;

// problem.yaml `type`: "pass-fail" or "scoring" (legacy), or a list of them (2023-07). True for
// scoring; anything else (interactive, multi-pass, ...) fails.
bool is_scoring_type(const YAML::Node& type, const FailFn& fail);

// The groups of a scoring problem, and the group of each secret test (by its .in path).
// Groups are the subfolders of data/secret (deeper folders belong to their top one), and the
// tests directly in data/secret form a group named "secret"; points from testdata.yaml.
struct GroupLayout {
  std::vector<core::TestGroup> groups;
  // Ordinal of the group of a secret test, keyed by the test's .in path.
  std::function<int(const std::string& in_path)> group_of;
};
GroupLayout read_groups(const FileMap& files, const FailFn& fail);

// Every file under submissions/<folder>/ whose folder names a verdict and whose extension names
// a language; the rest are listed in warnings.
std::vector<core::NewProblem::JurySubmission> read_jury_submissions(
    const FileMap& files, const std::vector<core::Language>& languages,
    std::vector<std::string>& warnings);

}  // namespace package
