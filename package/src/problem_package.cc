// problem.yaml, data/ and output_validators/ of a legacy ICPC/Kattis package. Only what this
// judge can judge correctly is accepted: default validation with flags validator_rules.h
// understands, custom (also interactive) validation with the validator's sources, pass-fail or
// scoring with all-or-nothing groups (scoring.h). Anything else (other grading) is refused, so
// nothing is silently judged wrong.
#include "package/problem_package.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/text.h"
#include "scoring.h"
#include "validator_files.h"
#include "validator_rules/validator_rules.h"

namespace package {
namespace {

// Text shown to people and stored as Postgres text: a NUL would cut the stored name short.
bool is_display_text(std::string_view text) {
  return core::is_storable_text(text) &&
         std::none_of(text.begin(), text.end(), [](char c) {
           auto byte = static_cast<unsigned char>(c);
           return byte < 0x20 || byte == 0x7f;
         });
}

constexpr double kMaxTimeLimitSeconds = 60;
constexpr int64_t kMaxMemoryMiB = 64 * 1024;
constexpr int64_t kKibPerMib = 1024;

class Parser {
 public:
  Parser(const FileMap& files, const ImportOptions& options) : files_(files), options_(options) {}

  core::NewProblem parse() {
    core::NewProblem n;
    core::Problem& p = n.problem;
    p.id = options_.id;
    p.label = options_.label.empty() ? options_.id : options_.label;
    p.ordinal = options_.ordinal;
    p.name = options_.id;
    YAML::Node yaml = load_yaml();
    read_metadata(yaml, p);
    read_limits(yaml, p);
    read_validation(yaml, p);
    if (p.validation != "default") n.validator_files = read_output_validator(files_, p.id);
    add_tests("data/sample/", true, n.tests);
    add_tests("data/secret/", false, n.tests);
    if (n.tests.empty())
      fail("data/", "no test data (.in/.ans pairs in data/sample or data/secret)");
    if (scoring_) assign_groups(n);
    p.test_count = static_cast<int>(n.tests.size());
    return n;
  }

 private:
  FailFn fail_fn() const {
    return [this](const std::string& file, const std::string& why) { fail(file, why); };
  }

  // Secret tests were added in path order; group_of maps each back through its .in path.
  void assign_groups(core::NewProblem& n) const {
    GroupLayout layout = read_groups(files_, fail_fn());
    size_t secret = 0;
    for (auto it = files_.lower_bound("data/secret/"); it != files_.end(); ++it) {
      if (it->first.rfind("data/secret/", 0) != 0) break;
      if (strip_suffix(it->first, ".in").empty()) continue;
      while (secret < n.tests.size() && n.tests[secret].is_sample) ++secret;
      n.tests[secret++].group = layout.group_of(it->first);
    }
    n.groups = std::move(layout.groups);
  }

  [[noreturn]] void fail(const std::string& file, const std::string& why) const {
    throw PackageError(422, "problem '" + options_.id + "': " + file + ": " + why);
  }

  YAML::Node load_yaml() const {
    auto it = files_.find("problem.yaml");
    if (it == files_.end()) fail("problem.yaml", "missing");
    try {
      YAML::Node yaml = YAML::Load(it->second);
      if (yaml.IsNull()) return YAML::Node(YAML::NodeType::Map);
      if (!yaml.IsMap()) fail("problem.yaml", "must be a mapping");
      return yaml;
    } catch (const YAML::Exception& e) {
      fail("problem.yaml", std::string("not valid YAML: ") + e.what());
    }
  }

  // A scalar as text; a YAML error (a sequence where a string belongs) names the key.
  std::string text(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail("problem.yaml", key + ": must be a single value");
    return node.Scalar();
  }

  double number(const YAML::Node& node, const std::string& key) const {
    std::string value = text(node, key);
    char* end = nullptr;
    double result = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(result)) {
      fail("problem.yaml", key + ": '" + value + "' is not a number");
    }
    return result;
  }

  void read_metadata(const YAML::Node& yaml, core::Problem& p) {
    scoring_ = is_scoring_type(yaml["type"], fail_fn());
    if (const YAML::Node name = yaml["name"]) {
      // Newer packages map languages to names; take English, else the first.
      if (name.IsMap() && name.size() == 0) fail("problem.yaml", "name: empty");
      if (name.IsMap()) {
        p.name = name["en"] ? text(name["en"], "name.en") : text(name.begin()->second, "name");
      } else {
        p.name = text(name, "name");
      }
      if (p.name.empty()) fail("problem.yaml", "name: empty");
      if (!is_display_text(p.name)) {
        fail("problem.yaml", "name: must be UTF-8 text without control characters");
      }
    }
  }

  void read_limits(const YAML::Node& yaml, core::Problem& p) const {
    auto timelimit = files_.find(".timelimit");
    if (timelimit != files_.end()) set_time_limit(timelimit->second, ".timelimit", p);
    const YAML::Node limits = yaml["limits"];
    if (!limits) return;
    if (!limits.IsMap()) fail("problem.yaml", "limits: must be a mapping");
    if (limits["time_limit"])
      set_time_limit(text(limits["time_limit"], "limits.time_limit"), "problem.yaml", p);
    for (auto [key, target] :
         {std::pair{"memory", &p.memory_limit_kib}, std::pair{"output", &p.output_limit_kib}}) {
      if (!limits[key]) continue;
      double mib = number(limits[key], std::string("limits.") + key);
      if (mib < 1 || mib > kMaxMemoryMiB || mib != std::floor(mib)) {
        fail("problem.yaml", std::string("limits.") + key +
                                 ": must be a whole number of MiB "
                                 "from 1 to " +
                                 std::to_string(kMaxMemoryMiB));
      }
      *target = static_cast<int64_t>(mib) * kKibPerMib;
    }
  }

  void set_time_limit(std::string value, const std::string& file, core::Problem& p) const {
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
      value.pop_back();
    }
    char* end = nullptr;
    double seconds = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !(seconds > 0) ||
        seconds > kMaxTimeLimitSeconds) {
      fail(file, "time limit '" + value + "' must be more than 0 and at most " +
                     std::to_string(static_cast<int>(kMaxTimeLimitSeconds)) + " seconds");
    }
    p.time_limit_ms = std::max(1, static_cast<int>(std::lround(seconds * 1000)));
  }

  void read_validation(const YAML::Node& yaml, core::Problem& p) const {
    std::string validation =
        yaml["validation"] ? text(yaml["validation"], "validation") : "default";
    if (validation != "default" && validation != "custom" && validation != "custom interactive") {
      fail("problem.yaml", "validation '" + validation +
                               "' is not supported (default, custom, custom interactive)");
    }
    p.validation = validation;
    if (!yaml["validator_flags"]) return;
    if (validation != "default") {
      // A custom validator's flags are its own command-line arguments.
      p.validator_flags = text(yaml["validator_flags"], "validator_flags");
      return;
    }
    std::string flags = text(yaml["validator_flags"], "validator_flags");
    if (!validator_rules::parse_validator_flags(flags)) {
      fail("problem.yaml", "validator_flags '" + flags +
                               "': unknown flag or missing number (supported: case_sensitive, "
                               "space_change_sensitive, float_tolerance, "
                               "float_absolute_tolerance, float_relative_tolerance)");
    }
    p.validation = "default";
    p.validator_flags = flags;
  }

  // Every .in under `folder` with its .ans, in lexicographic path order (nested groups too).
  void add_tests(const std::string& folder, bool is_sample,
                 std::vector<core::NewProblem::Test>& tests) const {
    for (auto it = files_.lower_bound(folder); it != files_.end(); ++it) {
      const std::string& name = it->first;
      if (name.rfind(folder, 0) != 0) break;
      std::string stem = strip_suffix(name, ".in");
      if (stem.empty()) {
        stem = strip_suffix(name, ".ans");
        if (!stem.empty() && !files_.count(stem + ".in")) fail(name, "has no matching .in file");
        continue;
      }
      auto answer = files_.find(stem + ".ans");
      if (answer == files_.end()) fail(name, "has no matching .ans file");
      tests.push_back({it->second, answer->second, is_sample});
    }
  }

  static std::string strip_suffix(const std::string& name, const std::string& suffix) {
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return "";
    }
    return name.substr(0, name.size() - suffix.size());
  }

  const FileMap& files_;
  const ImportOptions& options_;
  bool scoring_ = false;
};

}  // namespace

core::NewProblem parse_package(const FileMap& files, const ImportOptions& options,
                               std::vector<std::string>* warnings) {
  core::NewProblem problem = Parser(files, options).parse();
  if (options.jury_submissions) {
    std::vector<std::string> skipped;
    problem.jury_submissions = read_jury_submissions(files, options.languages, skipped);
    if (warnings) warnings->insert(warnings->end(), skipped.begin(), skipped.end());
  }
  return problem;
}

}  // namespace package
