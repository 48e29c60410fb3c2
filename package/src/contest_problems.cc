// The problems of a contest package (contest_problems.h): problems.json|yaml says which and in
// what order; the packages themselves go through the same parse_package as import-problem.
#include "contest_problems.h"

#include <nlohmann/json.hpp>
#include <set>

#include "core/ids.h"

namespace package {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& message) { throw PackageError(422, message); }

std::string json_quoted(const std::string& text) { return json(text).dump(); }

// What problems.json|yaml (or the problems/ folder) says of one problem.
struct ProblemEntry {
  std::string where;  // "problems.yaml: entry 2 (id \"b\")" or "problems/b".
  std::string id, label;
  std::optional<std::string> name, rgb;
  std::optional<double> time_limit_s;
  int ordinal = 0;
};

// problems/<id>/<id>.zip (the spec's listing), problems/<id>.zip, or the folder problems/<id>/.
// Returns the package's files and where they were found.
std::pair<FileMap, std::string> problem_files(const FileMap& files, const ProblemEntry& p) {
  for (const std::string& zip :
       {"problems/" + p.id + "/" + p.id + ".zip", "problems/" + p.id + ".zip"}) {
    auto it = files.find(zip);
    if (it == files.end()) continue;
    try {
      FileMap inner = read_zip(it->second);
      strip_top_folder(inner);
      return {std::move(inner), zip};
    } catch (const PackageError& e) {
      fail(p.where + ": " + zip + ": " + e.what());
    }
  }
  const std::string folder = "problems/" + p.id + "/";
  FileMap inner;
  for (auto it = files.lower_bound(folder); it != files.end(); ++it) {
    if (it->first.rfind(folder, 0) != 0) break;
    inner.emplace(it->first.substr(folder.size()), it->second);
  }
  if (inner.empty()) {
    fail(p.where + ": no problem package at " + folder + ", problems/" + p.id + ".zip or " +
         folder + p.id + ".zip");
  }
  return {std::move(inner), folder};
}

std::vector<ProblemEntry> listed_problems(const std::string& file, const json& data) {
  if (!data.is_array()) fail(file + ": must be an array of objects");
  std::vector<ProblemEntry> out;
  std::set<std::string> ids;
  for (const auto& item : data) {
    ProblemEntry p;
    p.ordinal = static_cast<int>(out.size()) + 1;
    p.where = file + ": entry " + std::to_string(p.ordinal);
    if (!item.is_object()) fail(p.where + ": not an object");
    auto text = [&](const char* key) -> std::optional<std::string> {
      auto it = item.find(key);
      if (it == item.end() || it->is_null()) return std::nullopt;
      if (!it->is_string()) fail(p.where + ": " + key + " must be a string");
      return it->get<std::string>();
    };
    auto id = text("id");
    if (!id) fail(p.where + ": id is missing");
    p.where += " (id " + json_quoted(*id) + ")";
    if (!core::is_valid_id(*id)) fail(p.where + ": id is not a valid id");
    if (!ids.insert(*id).second) fail(p.where + ": id " + json_quoted(*id) + " repeats");
    p.id = *id;
    p.label = text("label").value_or(p.id);
    if (p.label.empty()) fail(p.where + ": label is empty");
    p.name = text("name");
    p.rgb = text("rgb");
    if (auto it = item.find("ordinal"); it != item.end() && !it->is_null()) {
      if (!it->is_number_integer()) fail(p.where + ": ordinal must be an integer");
      p.ordinal = it->get<int>();
    }
    if (auto it = item.find("time_limit"); it != item.end() && !it->is_null()) {
      if (!it->is_number() || it->get<double>() <= 0 || it->get<double>() > 3600)
        fail(p.where + ": time_limit must be a number of seconds above 0 (at most 3600)");
      p.time_limit_s = it->get<double>();
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Without problems.json|yaml: every folder or zip directly under problems/, by name.
std::vector<ProblemEntry> found_problems(const FileMap& files) {
  std::set<std::string> ids;
  for (auto it = files.lower_bound("problems/"); it != files.end(); ++it) {
    if (it->first.rfind("problems/", 0) != 0) break;
    std::string rest = it->first.substr(9);
    auto slash = rest.find('/');
    if (slash != std::string::npos) {
      ids.insert(rest.substr(0, slash));
    } else if (rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".zip") == 0) {
      ids.insert(rest.substr(0, rest.size() - 4));
    }
  }
  std::vector<ProblemEntry> out;
  for (const auto& id : ids) {
    ProblemEntry p;
    p.where = "problems/" + id;
    if (!core::is_valid_id(id))
      fail(p.where + ": " + json_quoted(id) + " is not a valid problem id");
    p.id = p.label = id;
    p.ordinal = static_cast<int>(out.size()) + 1;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<core::NewProblem> parse_contest_problems(const FileMap& files,
                                                     const std::string& contest_id,
                                                     const ContestImportOptions& options) {
  std::vector<ProblemEntry> entries;
  if (auto listed = read_package_document(files, "problems", true)) {
    entries = listed_problems(listed->first, listed->second);
  } else {
    entries = found_problems(files);
  }
  std::vector<core::NewProblem> out;
  for (const auto& p : entries) {
    auto [inner, found_at] = problem_files(files, p);
    ImportOptions import;
    import.id = p.id;
    import.label = p.label;
    import.ordinal = p.ordinal;
    core::NewProblem n;
    try {
      n = parse_package(inner, import);
    } catch (const PackageError& e) {
      fail(p.where + ": " + found_at + ": " + e.what());
    }
    n.problem.contest_id = contest_id;
    if (p.name) n.problem.name = *p.name;
    if (p.rgb) n.problem.rgb = p.rgb;
    if (p.time_limit_s) n.problem.time_limit_ms = static_cast<int>(*p.time_limit_s * 1000 + 0.5);
    if (options.progress) {
      options.progress(found_at + ": problem " + p.id + " (" + p.label + ", " + n.problem.name +
                       "), " + std::to_string(n.tests.size()) + " tests");
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace package
