// CLICS contest packages (2023-06, the "CCS configuration" part): a folder or zip with
// contest.json|yaml, organizations.json, groups.json, teams.json, accounts.json|yaml and
// problems.json|yaml with problems/<id>/ packages. Everything is read and checked here before
// anything is stored, so that core::SetupStore::insert_contest_setup can store it all in one
// transaction. Export (the reverse) will live beside it and reuse the same file names.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/setup_store.h"
#include "package/problem_package.h"

namespace package {

struct ContestImportOptions {
  // The contest id when contest.json|yaml names none (the folder's or zip's name).
  std::string default_id;
  // Told each part as it is read ("organizations.json: 3 organizations").
  std::function<void(const std::string&)> progress;
};

struct ContestPackage {
  core::ContestSetup setup;  // Passwords already hashed.
  // Accounts whose file gave no password: (username, generated password), to hand out once.
  std::vector<std::pair<std::string, std::string>> generated_passwords;
};

// Parses and checks the whole package: ids valid and unique per file, references resolved
// (organization_id, group_ids, team_id), required fields present with the right types, every
// problem package importable. Throws PackageError (422) naming the file and the entry, e.g.
// `teams.json: entry 3 (id "t17"): organization_id "org9" is not in organizations.json`.
ContestPackage parse_contest_package(const FileMap& files, const ContestImportOptions& options);

}  // namespace package
