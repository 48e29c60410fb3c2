// The output validator of a package with custom validation: its source files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "package/problem_package.h"

namespace package {

// The files of the one validator in output_validators/ (directly there, or in its one subfolder),
// by file name. Throws PackageError (422) naming the problem and the folder when there is no
// validator, more than one, nested folders, or no single main source (.c, .cpp, .py; see
// validator_rules::pick_validator_source).
std::vector<std::pair<std::string, std::string>> read_output_validator(
    const FileMap& files, const std::string& problem_id);

}  // namespace package
