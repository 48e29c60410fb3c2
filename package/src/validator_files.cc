#include "validator_files.h"

#include <set>

#include "validator_rules/validator_rules.h"

namespace package {
namespace {

constexpr const char* kFolder = "output_validators/";

[[noreturn]] void fail(const std::string& problem_id, const std::string& folder,
                       const std::string& why) {
  throw PackageError(422, "problem '" + problem_id + "': " + folder + ": " + why);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> read_output_validator(
    const FileMap& files, const std::string& problem_id) {
  const std::string root = kFolder;
  std::vector<std::pair<std::string, std::string>> direct;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_folder;
  for (auto it = files.lower_bound(root); it != files.end(); ++it) {
    if (it->first.rfind(root, 0) != 0) break;
    const std::string rest = it->first.substr(root.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) {
      direct.emplace_back(rest, it->second);
    } else if (rest.find('/', slash + 1) != std::string::npos) {
      fail(problem_id, it->first, "nested folders in a validator are not supported");
    } else {
      by_folder[rest.substr(0, slash)].emplace_back(rest.substr(slash + 1), it->second);
    }
  }
  std::string folder = root;
  std::vector<std::pair<std::string, std::string>> chosen;
  if (!direct.empty() && by_folder.empty()) {
    chosen = std::move(direct);
  } else if (direct.empty() && by_folder.size() == 1) {
    folder += by_folder.begin()->first + "/";
    chosen = std::move(by_folder.begin()->second);
  } else if (direct.empty() && by_folder.empty()) {
    fail(problem_id, root, "custom validation needs the validator's sources here, none found");
  } else {
    fail(problem_id, root, "more than one validator; this judge runs exactly one");
  }
  std::vector<std::string> names;
  for (const auto& file : chosen) names.push_back(file.first);
  if (!validator_rules::pick_validator_source(names)) {
    fail(problem_id, folder,
         "no usable validator source: need one .c, .cpp (.cc, .cxx) or .py file, or one named "
         "validator.* among several");
  }
  return chosen;
}

}  // namespace package
