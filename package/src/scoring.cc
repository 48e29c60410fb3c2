// Scoring problems and jury submissions of a legacy Kattis package (see scoring.h).
#include "scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace package {
namespace {

constexpr double kMaxPoints = 1e9;
const char* const kSecret = "data/secret/";

YAML::Node load_testdata(const FileMap& files, const std::string& path, const FailFn& fail) {
  auto it = files.find(path);
  if (it == files.end()) return YAML::Node(YAML::NodeType::Map);
  YAML::Node yaml;
  try {
    yaml = YAML::Load(it->second);
  } catch (const YAML::Exception& e) {
    fail(path, std::string("not valid YAML: ") + e.what());
  }
  if (yaml.IsNull()) return YAML::Node(YAML::NodeType::Map);
  if (!yaml.IsMap()) fail(path, "must be a mapping");
  return yaml;
}

std::string scalar(const YAML::Node& node, const std::string& path, const std::string& key,
                   const FailFn& fail) {
  if (!node.IsScalar()) fail(path, key + ": must be a single value");
  return node.Scalar();
}

// grader_flags must only name behaviour this judge has (all-or-nothing groups, summed).
void check_flags(const YAML::Node& yaml, const std::string& path, const std::set<std::string>& ok,
                 const FailFn& fail) {
  if (!yaml["grader_flags"]) return;
  std::string flags = scalar(yaml["grader_flags"], path, "grader_flags", fail);
  size_t pos = 0;
  while (pos < flags.size()) {
    size_t end = flags.find(' ', pos);
    if (end == std::string::npos) end = flags.size();
    std::string flag = flags.substr(pos, end - pos);
    if (!flag.empty() && !ok.count(flag))
      fail(path, "grader_flags: '" + flag +
                     "' is not supported here (groups are all-or-nothing, "
                     "their points summed)");
    pos = end + 1;
  }
}

void check_common(const YAML::Node& yaml, const std::string& path, const FailFn& fail) {
  if (yaml["output_validator_flags"])
    fail(path, "output_validator_flags: not supported (one validator setting per problem)");
  if (yaml["reject_score"] && scalar(yaml["reject_score"], path, "reject_score", fail) != "0")
    fail(path, "reject_score: only 0 is supported");
}

// The parent of the groups (data/ and data/secret/ when it holds group folders): every group is
// scored, so judging never breaks off between groups.
void check_parent(const FileMap& files, const std::string& path, const FailFn& fail) {
  YAML::Node yaml = load_testdata(files, path, fail);
  check_common(yaml, path, fail);
  if (yaml["on_reject"] && scalar(yaml["on_reject"], path, "on_reject", fail) != "continue")
    fail(path, "on_reject: only 'continue' is supported above the groups (every group is scored)");
  check_flags(yaml, path, {"sum", "first_error", "ignore_sample"}, fail);
}

double points_value(const YAML::Node& node, const std::string& path, const std::string& key,
                    const FailFn& fail) {
  std::string text = scalar(node, path, key, fail);
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
    fail(path, key + ": '" + text + "' is not a number");
  if (value < 0 || value > kMaxPoints) fail(path, key + ": " + text + " must be from 0 to 1e9");
  return value;
}

// A group: `points` or `accept_score` (the same thing here), default 1; on_reject; flags.
core::TestGroup read_group(const FileMap& files, const std::string& name, const std::string& path,
                           const FailFn& fail) {
  YAML::Node yaml = load_testdata(files, path, fail);
  check_common(yaml, path, fail);
  check_flags(yaml, path, {"min", "first_error", "worst_error", "ignore_sample"}, fail);
  core::TestGroup group;
  group.name = name;
  std::optional<double> points, accept;
  if (yaml["points"]) points = points_value(yaml["points"], path, "points", fail);
  if (yaml["accept_score"]) accept = points_value(yaml["accept_score"], path, "accept_score", fail);
  if (points && accept && *points != *accept)
    fail(path, "points and accept_score differ (give one)");
  group.points = points.value_or(accept.value_or(1));
  if (yaml["on_reject"]) {
    std::string on_reject = scalar(yaml["on_reject"], path, "on_reject", fail);
    if (on_reject != "break" && on_reject != "continue")
      fail(path, "on_reject: '" + on_reject + "' must be break or continue");
    group.continue_on_reject = on_reject == "continue";
  }
  return group;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The enabled language a jury file's extension names. Where several share it (`py`: CPython and
// PyPy), the package format means the standard one, as the Kattis tools do.
const core::Language* language_for_extension(const std::vector<core::Language>& languages,
                                             const std::string& extension) {
  static const std::map<std::string, std::string> kPreferred = {{"py", "python3"}};
  const core::Language* found = nullptr;
  for (const auto& l : languages) {
    if (!l.enabled) continue;
    if (std::find(l.extensions.begin(), l.extensions.end(), extension) == l.extensions.end())
      continue;
    auto preferred = kPreferred.find(extension);
    if (preferred != kPreferred.end() && preferred->second == l.id) return &l;
    if (!found) found = &l;
  }
  return found;
}

}  // namespace

bool is_scoring_type(const YAML::Node& type, const FailFn& fail) {
  if (!type) return false;
  std::vector<std::string> parts;
  if (type.IsSequence()) {
    for (const auto& item : type) parts.push_back(scalar(item, "problem.yaml", "type", fail));
  } else {
    parts.push_back(scalar(type, "problem.yaml", "type", fail));
  }
  bool scoring = false;
  for (const auto& part : parts) {
    if (part == "scoring")
      scoring = true;
    else if (part != "pass-fail")
      fail("problem.yaml", "type '" + part + "' is not supported yet");
  }
  return scoring;
}

GroupLayout read_groups(const FileMap& files, const FailFn& fail) {
  const std::string secret = kSecret;
  std::map<std::string, int> ordinals;  // Group name -> ordinal, in path order.
  std::vector<std::string> names;
  bool loose = false;  // Tests directly in data/secret.
  for (auto it = files.lower_bound(secret); it != files.end(); ++it) {
    if (it->first.rfind(secret, 0) != 0) break;
    if (!ends_with(it->first, ".in")) continue;
    std::string rest = it->first.substr(secret.size());
    size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      loose = true;
      continue;
    }
    std::string name = rest.substr(0, slash);
    if (ordinals.emplace(name, static_cast<int>(names.size()) + 1).second) names.push_back(name);
  }
  check_parent(files, "data/testdata.yaml", fail);
  GroupLayout layout;
  if (names.empty()) {
    if (!loose) fail("data/secret/", "a scoring problem needs secret test data");
    layout.groups.push_back(read_group(files, "secret", secret + "testdata.yaml", fail));
    layout.groups.back().ordinal = 1;
    layout.group_of = [](const std::string&) { return 1; };
    return layout;
  }
  if (loose)
    fail("data/secret/", "tests directly in data/secret beside group folders: move them into one");
  check_parent(files, secret + "testdata.yaml", fail);
  for (size_t i = 0; i < names.size(); ++i) {
    layout.groups.push_back(
        read_group(files, names[i], secret + names[i] + "/testdata.yaml", fail));
    layout.groups.back().ordinal = static_cast<int>(i) + 1;
  }
  layout.group_of = [ordinals, secret](const std::string& in_path) {
    std::string rest = in_path.substr(secret.size());
    return ordinals.at(rest.substr(0, rest.find('/')));
  };
  return layout;
}

std::vector<core::NewProblem::JurySubmission> read_jury_submissions(
    const FileMap& files, const std::vector<core::Language>& languages,
    std::vector<std::string>& warnings) {
  using domain::Verdict;
  static const std::map<std::string, Verdict> kExpected = {{"accepted", Verdict::AC},
                                                           {"wrong_answer", Verdict::WA},
                                                           {"time_limit_exceeded", Verdict::TLE},
                                                           {"run_time_error", Verdict::RTE},
                                                           {"compile_error", Verdict::CE},
                                                           {"memory_limit_exceeded", Verdict::MLE},
                                                           {"output_limit_exceeded", Verdict::OLE}};
  std::vector<core::NewProblem::JurySubmission> out;
  const std::string prefix = "submissions/";
  for (auto it = files.lower_bound(prefix); it != files.end(); ++it) {
    const std::string& path = it->first;
    if (path.rfind(prefix, 0) != 0) break;
    std::string rest = path.substr(prefix.size());
    size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      warnings.push_back(path + ": not in a verdict folder, skipped");
      continue;
    }
    auto expected = kExpected.find(rest.substr(0, slash));
    if (expected == kExpected.end()) {
      warnings.push_back(path + ": folder '" + rest.substr(0, slash) +
                         "' names no verdict, skipped");
      continue;
    }
    std::string file = rest.substr(slash + 1);
    if (file.find('/') != std::string::npos) {
      warnings.push_back(path + ": multi-file submissions are not supported, skipped");
      continue;
    }
    size_t dot = file.rfind('.');
    std::string extension = dot == std::string::npos ? "" : file.substr(dot + 1);
    const core::Language* language = language_for_extension(languages, extension);
    if (!language) {
      warnings.push_back(path + ": no language for extension '" + extension + "', skipped");
      continue;
    }
    out.push_back({path, language->id, it->second, expected->second});
  }
  return out;
}

}  // namespace package
