// ICPC/Kattis problem packages (legacy format, default validation only): read from a zip or a
// folder into an in-memory file map, then parsed into a problem with its test data. The same
// code serves the API (zip upload) and judgectl import-problem (folder or zip).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/setup_store.h"

namespace package {

// Relative path inside the package ("problem.yaml", "data/secret/g1/01.in") -> content.
using FileMap = std::map<std::string, std::string>;

// Bad input: an HTTP-like status (400, 413, 422) and a message naming the file.
class PackageError : public std::runtime_error {
 public:
  PackageError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

inline constexpr size_t kMaxPackageEntries = 10000;
inline constexpr size_t kMaxPackageBytes = 256u << 20;  // All files together, decompressed.

// The files of a zip held in memory; directory entries are skipped. Entry names are checked
// (no "..", absolute paths, backslashes, control characters); sizes are counted while
// decompressing, so a zip bomb costs at most kMaxPackageBytes.
FileMap read_zip(std::string_view zip);
// The regular files under `folder` (symlinks are not followed).
FileMap read_folder(const std::filesystem::path& folder);

// When every file lies in one top folder (a zipped package folder), strips it and returns its
// name; returns "" otherwise.
std::string strip_top_folder(FileMap& files);

struct ImportOptions {
  std::string id, label;  // label defaults to the id.
  int ordinal = 0;
  // Also read submissions/<verdict folder>/<file> as jury submissions (language by extension).
  bool jury_submissions = false;
  std::vector<core::Language> languages;
};

// The problem with its samples (data/sample) then secret tests (data/secret), each group in
// lexicographic path order. `type: scoring`: the subfolders of data/secret are test groups
// (scoring.h). Throws PackageError (422) naming the problem and the file. Skipped jury
// submission files are appended to warnings (when given).
core::NewProblem parse_package(const FileMap& files, const ImportOptions& options,
                               std::vector<std::string>* warnings = nullptr);

}  // namespace package
