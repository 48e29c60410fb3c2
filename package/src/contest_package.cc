// Contest packages (contest_package.h): every file is read into JSON (YAML converted), each
// entry checked with a message naming the file and the entry, references resolved against the
// other files, problem packages parsed by parse_package. Nothing here touches the database.
#include "package/contest_package.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>

#include "contest_problems.h"
#include "core/auth.h"
#include "core/ids.h"
#include "core/text.h"
#include "core/timefmt.h"

namespace package {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& message) { throw PackageError(422, message); }

std::string json_quoted(const std::string& text) { return json(text).dump(); }

// YAML's plain scalars typed as YAML 1.2's core schema types them; quoted ones stay strings.
json scalar_json(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  try {
    if (std::regex_match(s, kInteger)) return std::stoll(s);
    if (std::regex_match(s, kFloat)) return std::stod(s);
  } catch (const std::out_of_range&) {
    return s;
  }
  return s;
}

json yaml_json(const YAML::Node& node, const std::string& file) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const auto& item : node) array.push_back(yaml_json(item, file));
      return array;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& item : node) {
        if (!item.first.IsScalar()) fail(file + ": a key is not a plain value");
        object[item.first.Scalar()] = yaml_json(item.second, file);
      }
      return object;
    }
    case YAML::NodeType::Scalar:
      return scalar_json(node);
    default:
      return nullptr;
  }
}

struct Document {
  std::string file;
  json data;
};

// stem.json, or stem.yaml where the spec allows YAML; nullopt when the package has neither.
std::optional<Document> read_document(const FileMap& files, const std::string& stem,
                                      bool yaml_allowed) {
  auto as_json = files.find(stem + ".json");
  auto as_yaml = yaml_allowed ? files.find(stem + ".yaml") : files.end();
  if (as_json != files.end() && as_yaml != files.end())
    fail(stem + ".json and " + stem + ".yaml: give one of them, not both");
  if (as_json != files.end()) {
    try {
      return Document{as_json->first, json::parse(as_json->second)};
    } catch (const json::parse_error& e) {
      fail(as_json->first + ": not valid JSON: " + e.what());
    }
  }
  if (as_yaml == files.end()) return std::nullopt;
  if (!core::is_valid_utf8(as_yaml->second)) fail(as_yaml->first + ": not UTF-8");
  try {
    return Document{as_yaml->first, yaml_json(YAML::Load(as_yaml->second), as_yaml->first)};
  } catch (const YAML::Exception& e) {
    fail(as_yaml->first + ": not valid YAML: " + e.what());
  }
}

// One object of a file: its fields read with messages naming the file and the entry.
class Entry {
 public:
  // index 0: the file's one object (contest.json); otherwise its place in the array, from 1.
  Entry(const std::string& file, const json& data, size_t index) : data_(data) {
    prefix_ = file + ": ";
    if (index > 0) {
      prefix_ = file + ": entry " + std::to_string(index);
      if (data.is_object() && data.contains("id") && data["id"].is_string())
        prefix_ += " (id " + json_quoted(data["id"].get<std::string>()) + ")";
      prefix_ += ": ";
    }
    if (!data.is_object()) fail("not an object");
  }

  [[noreturn]] void fail(const std::string& why) const { package::fail(prefix_ + why); }

  // Absent and null are the same: the spec's optional fields may be either.
  const json* field(const char* key) const {
    auto it = data_.find(key);
    return it == data_.end() || it->is_null() ? nullptr : &*it;
  }
  std::optional<std::string> text(const char* key, bool required = false) const {
    const json* value = field(key);
    if (!value) {
      if (required) fail(std::string(key) + " is missing");
      return std::nullopt;
    }
    if (!value->is_string()) fail(std::string(key) + " must be a string, not " + value->dump());
    std::string s = value->get<std::string>();
    if (!core::is_storable_text(s)) fail(std::string(key) + " is not storable text");
    if (required && s.empty()) fail(std::string(key) + " is empty");
    return s;
  }
  std::string required_text(const char* key) const { return *text(key, true); }
  std::optional<std::string> id(const char* key, bool required = false) const {
    auto value = text(key, required);
    if (value && !core::is_valid_id(*value))
      fail(std::string(key) + " " + json_quoted(*value) + " is not a valid id");
    return value;
  }
  std::optional<int64_t> integer(const char* key) const {
    const json* value = field(key);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) fail(std::string(key) + " must be an integer");
    return value->get<int64_t>();
  }
  std::optional<double> number(const char* key) const {
    const json* value = field(key);
    if (!value) return std::nullopt;
    if (!value->is_number()) fail(std::string(key) + " must be a number");
    return value->get<double>();
  }

 private:
  const json& data_;
  std::string prefix_;
};

const json& array_of(const Document& doc) {
  if (!doc.data.is_array()) fail(doc.file + ": must be an array of objects");
  return doc.data;
}

// Ids of one file, so that repeated ones are named.
class IdSet {
 public:
  void add(const Entry& entry, const std::string& id, const char* what = "id") {
    if (!ids_.insert(id).second) entry.fail(std::string(what) + " " + json_quoted(id) + " repeats");
  }
  bool contains(const std::string& id) const { return ids_.count(id) > 0; }

 private:
  std::set<std::string> ids_;
};

// CLICS TIME; packages written by hand often end in a bare hour offset (+01), as the spec's own
// example does.
std::optional<int64_t> package_time(std::string text) {
  static const std::regex kHourOffset(".*[+-][0-9]{2}");
  if (std::regex_match(text, kHourOffset)) text += ":00";
  return core::parse_time(text);
}

int64_t reltime(const Entry& entry, const char* key, bool required) {
  auto text = entry.text(key, required);
  if (!text) return 0;
  auto ms = core::parse_reltime(*text);
  if (!ms || *ms < 0) entry.fail(std::string(key) + " " + json_quoted(*text) + " is not a RELTIME");
  return *ms;
}

core::Contest parse_contest(const Document& doc, const std::string& default_id) {
  Entry e(doc.file, doc.data, 0);
  core::Contest c;
  auto id = e.id("id");
  if (!id && !core::is_valid_id(default_id))
    e.fail("id is missing and the package's name " + json_quoted(default_id) +
           " is not a valid id");
  c.id = id.value_or(default_id);
  c.name = e.required_text("name");
  c.formal_name = e.text("formal_name").value_or(c.name);
  if (auto start = e.text("start_time")) {
    c.start_ms = package_time(*start);
    if (!c.start_ms) e.fail("start_time " + json_quoted(*start) + " is not a TIME");
  }
  c.duration_ms = reltime(e, "duration", true);
  if (c.duration_ms <= 0) e.fail("duration must be positive");
  if (e.field("scoreboard_freeze_duration")) {
    c.freeze_ms = reltime(e, "scoreboard_freeze_duration", false);
    if (*c.freeze_ms > c.duration_ms) e.fail("scoreboard_freeze_duration exceeds duration");
  }
  c.scoreboard_type = e.text("scoreboard_type").value_or("pass-fail");
  if (c.scoreboard_type != "pass-fail" && c.scoreboard_type != "score")
    e.fail("scoreboard_type must be pass-fail or score, not " + json_quoted(c.scoreboard_type));
  auto penalty = e.integer("penalty_time").value_or(20);
  if (penalty < 0 || penalty > 1000000) e.fail("penalty_time must be 0 to 1000000 minutes");
  c.penalty_minutes = static_cast<int>(penalty);
  return c;
}

std::vector<core::Organization> parse_organizations(const Document& doc, IdSet& ids) {
  std::vector<core::Organization> out;
  static const std::regex kCountry("[A-Z]{3}");
  size_t index = 0;
  for (const auto& item : array_of(doc)) {
    Entry e(doc.file, item, ++index);
    core::Organization o;
    o.id = *e.id("id", true);
    ids.add(e, o.id);
    o.name = e.required_text("name");
    o.formal_name = e.text("formal_name");
    o.country = e.text("country");
    if (o.country && !std::regex_match(*o.country, kCountry))
      e.fail("country " + json_quoted(*o.country) + " is not an ISO 3166-1 alpha-3 code");
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<core::Group> parse_groups(const Document& doc, IdSet& ids) {
  std::vector<core::Group> out;
  size_t index = 0;
  for (const auto& item : array_of(doc)) {
    Entry e(doc.file, item, ++index);
    core::Group g;
    g.id = *e.id("id", true);
    ids.add(e, g.id);
    g.name = e.required_text("name");
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<std::string> team_groups(const Entry& e, const json* value, const IdSet& groups) {
  std::vector<std::string> out;
  if (!value) return out;
  if (!value->is_array()) e.fail("group_ids must be an array of ids");
  for (const auto& group : *value) {
    if (!group.is_string()) e.fail("group_ids must be an array of ids, not " + value->dump());
    auto id = group.get<std::string>();
    if (!groups.contains(id)) e.fail("group_ids: " + json_quoted(id) + " is not in groups.json");
    if (std::find(out.begin(), out.end(), id) != out.end())
      e.fail("group_ids: " + json_quoted(id) + " repeats");
    out.push_back(id);
  }
  return out;
}

std::vector<core::Team> parse_teams(const Document& doc, const IdSet& organizations,
                                    const IdSet& groups, IdSet& ids) {
  std::vector<core::Team> out;
  size_t index = 0;
  for (const auto& item : array_of(doc)) {
    Entry e(doc.file, item, ++index);
    core::Team t;
    t.id = *e.id("id", true);
    ids.add(e, t.id);
    t.name = e.required_text("name");
    t.display_name = e.text("display_name").value_or("");
    t.organization_id = e.id("organization_id");
    if (t.organization_id && !organizations.contains(*t.organization_id))
      e.fail("organization_id " + json_quoted(*t.organization_id) +
             " is not in organizations.json");
    t.group_ids = team_groups(e, e.field("group_ids"), groups);
    out.push_back(std::move(t));
  }
  return out;
}

// CLICS account types; analyst, staff and others have no role here.
std::optional<core::Role> account_role(const std::string& type) {
  if (type == "team") return core::Role::Team;
  if (type == "judge") return core::Role::Jury;
  if (type == "admin") return core::Role::Admin;
  return std::nullopt;
}

void parse_accounts(const Document& doc, const IdSet& teams, ContestPackage& out) {
  IdSet usernames;
  size_t index = 0;
  for (const auto& item : array_of(doc)) {
    Entry e(doc.file, item, ++index);
    core::ContestSetup::Account a;
    a.username = e.required_text("username");
    usernames.add(e, a.username, "username");
    // Accounts are keyed by username here (GET .../accounts serves it as the id).
    if (auto id = e.id("id"); id && *id != a.username)
      e.fail("id " + json_quoted(*id) + " differs from username " + json_quoted(a.username));
    std::string type = e.required_text("type");
    auto role = account_role(type);
    if (!role) e.fail("type " + json_quoted(type) + " is not supported (team, judge or admin)");
    a.role = *role;
    a.team_id = e.id("team_id");
    if (a.role == core::Role::Team && !a.team_id) e.fail("team_id is missing (type team)");
    if (a.role != core::Role::Team && a.team_id) e.fail("team_id is only for type team");
    if (a.team_id && !teams.contains(*a.team_id))
      e.fail("team_id " + json_quoted(*a.team_id) + " is not in teams.json");
    auto password = e.text("password");
    if (password && password->empty()) e.fail("password is empty");
    if (!password) {
      password = core::random_hex(8);
      out.generated_passwords.emplace_back(a.username, *password);
    }
    a.password_hash = *password;  // Hashed once the whole package checked out (argon2 is slow).
    out.setup.accounts.push_back(std::move(a));
  }
}

}  // namespace

std::optional<std::pair<std::string, json>> read_package_document(const FileMap& files,
                                                                  const std::string& stem,
                                                                  bool yaml_allowed) {
  auto doc = read_document(files, stem, yaml_allowed);
  if (!doc) return std::nullopt;
  return std::make_pair(doc->file, std::move(doc->data));
}

ContestPackage parse_contest_package(const FileMap& files, const ContestImportOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  ContestPackage out;
  core::ContestSetup& s = out.setup;
  auto contest = read_document(files, "contest", true);
  if (!contest) fail("contest.json or contest.yaml: the package has neither");
  s.contest = parse_contest(*contest, options.default_id);
  say(contest->file + ": contest " + s.contest.id + " (" + s.contest.name + ")");
  IdSet organizations, groups, teams;
  if (auto doc = read_document(files, "organizations", false)) {
    s.organizations = parse_organizations(*doc, organizations);
    say(doc->file + ": " + std::to_string(s.organizations.size()) + " organizations");
  }
  if (auto doc = read_document(files, "groups", false)) {
    s.groups = parse_groups(*doc, groups);
    say(doc->file + ": " + std::to_string(s.groups.size()) + " groups");
  }
  if (auto doc = read_document(files, "teams", false)) {
    s.teams = parse_teams(*doc, organizations, groups, teams);
    say(doc->file + ": " + std::to_string(s.teams.size()) + " teams");
  }
  if (auto doc = read_document(files, "accounts", true)) {
    parse_accounts(*doc, teams, out);
    say(doc->file + ": " + std::to_string(s.accounts.size()) + " accounts (" +
        std::to_string(out.generated_passwords.size()) + " passwords generated)");
  }
  s.problems = parse_contest_problems(files, s.contest.id, options);
  for (auto& account : s.accounts)
    account.password_hash = core::hash_password(account.password_hash);
  return out;
}

}  // namespace package
