// Private to package/: the problems of a contest package (contest_problems.cc).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "package/contest_package.h"

namespace package {

// stem.json, or stem.yaml where the spec allows YAML (converted), as (file name, content);
// nullopt when the package has neither. Throws PackageError on both, bad JSON or bad YAML.
std::optional<std::pair<std::string, nlohmann::json>> read_package_document(const FileMap& files,
                                                                            const std::string& stem,
                                                                            bool yaml_allowed);

// problems.json|yaml's entries, or without it every problems/<id>/ folder and problems/<id>.zip
// in name order; each package found at problems/<id>/<id>.zip, problems/<id>.zip or the folder
// problems/<id>/, and parsed by parse_package. Throws PackageError naming the file and entry.
std::vector<core::NewProblem> parse_contest_problems(const FileMap& files,
                                                     const std::string& contest_id,
                                                     const ContestImportOptions& options);

}  // namespace package
