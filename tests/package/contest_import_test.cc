// Contest package import: tests/package/data/contest_good (contest.yaml, organizations, groups,
// teams, accounts.yaml, problems.yaml with one problem folder) through the parser, judgectl
// import-contest and POST /api/contest-packages; GET serves what the files say. Broken copies
// of it are refused with the file and the entry named, and store nothing.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "package/contest_package.h"
#include "test_env.h"
#include "zip_builder.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRedisDb = 12;
constexpr int kStartupMs = 30000;

std::string good_dir() { return std::string(DATA_DIR) + "/contest_good"; }

package::FileMap good_files() { return package::read_folder(good_dir()); }

std::string zip_of(const package::FileMap& files, const std::string& top = "nwerc-test/") {
  std::vector<testenv::ZipEntry> entries;
  for (const auto& [name, content] : files) entries.push_back({top + name, content});
  return testenv::make_zip(entries);
}

// A JSON file of the package changed by `change`.
void edit_json(package::FileMap& files, const std::string& name,
               const std::function<void(json&)>& change) {
  json data = json::parse(files.at(name));
  change(data);
  files[name] = data.dump();
}

// A broken copy of the good package and what its error must say.
struct Broken {
  const char* what;
  std::function<void(package::FileMap&)> change;
  const char* message;  // The whole prefix naming the file and the entry, and the reason.
};

std::vector<Broken> broken_packages() {
  return {
      {"bad JSON", [](auto& f) { f["teams.json"] = R"([{"id": "t1",]])"; },
       "teams.json: not valid JSON"},
      {"bad YAML", [](auto& f) { f["accounts.yaml"] = "- id: [team1\n"; },
       "accounts.yaml: not valid YAML"},
      {"unknown organization",
       [](auto& f) {
         edit_json(f, "teams.json", [](json& j) { j[1]["organization_id"] = "org9"; });
       },
       R"(teams.json: entry 2 (id "t2"): organization_id "org9" is not in organizations.json)"},
      {"unknown group",
       [](auto& f) { edit_json(f, "teams.json", [](json& j) { j[0]["group_ids"][1] = "nope"; }); },
       R"(teams.json: entry 1 (id "t1"): group_ids: "nope" is not in groups.json)"},
      {"unknown team of an account",
       [](auto& f) {
         auto& a = f["accounts.yaml"];
         a.replace(a.find("team_id: t1"), 11, "team_id: t9");
       },
       R"(accounts.yaml: entry 3 (id "team1"): team_id "t9" is not in teams.json)"},
      {"duplicate id",
       [](auto& f) { edit_json(f, "organizations.json", [](json& j) { j[1]["id"] = "kth.se"; }); },
       R"(organizations.json: entry 2 (id "kth.se"): id "kth.se" repeats)"},
      {"missing required field",
       [](auto& f) { edit_json(f, "groups.json", [](json& j) { j[1].erase("name"); }); },
       R"(groups.json: entry 2 (id "site-a"): name is missing)"},
      {"wrong type",
       [](auto& f) { edit_json(f, "teams.json", [](json& j) { j[0]["name"] = 17; }); },
       R"(teams.json: entry 1 (id "t1"): name must be a string, not 17)"},
      {"bad duration",
       [](auto& f) {
         auto& c = f["contest.yaml"];
         c.replace(c.find("duration: 5:00:00"), 17, "duration: soon");
       },
       R"(contest.yaml: duration "soon" is not a RELTIME)"},
      {"unsupported account type",
       [](auto& f) {
         auto& a = f["accounts.yaml"];
         a.replace(a.find("type: judge"), 11, "type: analyst");
       },
       R"(accounts.yaml: entry 2 (id "judge1"): type "analyst" is not supported)"},
      {"bad problem package", [](auto& f) { f.erase("problems/hello/data/secret/1.ans"); },
       R"(problems.yaml: entry 1 (id "hello"): problems/hello/: problem 'hello': data/secret/1.in: )"},
      {"problem without package",
       [](auto& f) { f["problems.yaml"] += "- id: ghost\n  label: B\n"; },
       R"(problems.yaml: entry 2 (id "ghost"): no problem package at problems/ghost/)"},
      {"no contest file", [](auto& f) { f.erase("contest.yaml"); },
       "contest.json or contest.yaml: the package has neither"},
  };
}

// The parser's error, or "" when the package parsed.
std::string parse_error(const package::FileMap& files) {
  try {
    package::parse_contest_package(files, {});
  } catch (const package::PackageError& e) {
    EXPECT_EQ(e.status(), 422) << e.what();
    return e.what();
  }
  return "";
}

TEST(ContestPackageParser, GoodPackageMapsEveryFile) {
  std::vector<std::string> progress;
  package::ContestImportOptions options;
  options.progress = [&](const std::string& line) { progress.push_back(line); };
  package::ContestPackage parsed = package::parse_contest_package(good_files(), options);
  const core::ContestSetup& s = parsed.setup;
  EXPECT_EQ(s.contest.id, "nwerc-test");
  EXPECT_EQ(s.contest.name, "NWERC test");
  EXPECT_EQ(s.contest.formal_name, "Northwestern Europe Regional Contest, test run");
  EXPECT_EQ(s.contest.start_ms, core::parse_time("2031-11-23T09:00:00Z"));  // +01 read as +01:00
  EXPECT_EQ(s.contest.duration_ms, 5 * 3'600'000);
  EXPECT_EQ(s.contest.freeze_ms, 3'600'000);
  EXPECT_EQ(s.contest.penalty_minutes, 20);
  ASSERT_EQ(s.organizations.size(), 2u);
  EXPECT_EQ(s.organizations[1].country, "NLD");
  ASSERT_EQ(s.groups.size(), 2u);
  ASSERT_EQ(s.teams.size(), 3u);
  EXPECT_EQ(s.teams[0].group_ids, (std::vector<std::string>{"students", "site-a"}));
  EXPECT_EQ(s.teams[2].organization_id, std::nullopt);
  ASSERT_EQ(s.accounts.size(), 4u);
  EXPECT_EQ(s.accounts[1].role, core::Role::Jury);  // CLICS "judge".
  EXPECT_EQ(s.accounts[3].team_id, "t2");
  EXPECT_TRUE(core::verify_password("till-wise-under", s.accounts[2].password_hash));
  // team2 has no password in the file: one is made, and it is what the hash checks.
  ASSERT_EQ(parsed.generated_passwords.size(), 1u);
  EXPECT_EQ(parsed.generated_passwords[0].first, "team2");
  EXPECT_TRUE(
      core::verify_password(parsed.generated_passwords[0].second, s.accounts[3].password_hash));
  ASSERT_EQ(s.problems.size(), 1u);
  const core::Problem& p = s.problems[0].problem;
  EXPECT_EQ(p.contest_id, "nwerc-test");
  EXPECT_EQ(p.label, "A");
  EXPECT_EQ(p.name, "Hello Contest");  // problems.yaml's name over problem.yaml's.
  EXPECT_EQ(p.time_limit_ms, 2000);
  EXPECT_EQ(p.rgb, "#00f");
  EXPECT_EQ(s.problems[0].tests.size(), 2u);
  EXPECT_EQ(progress.size(), 6u);
}

TEST(ContestPackageParser, ProblemsFolderWithoutListAndZippedProblems) {
  package::FileMap files = good_files();
  files.erase("problems.yaml");
  // The same problem zipped as problems/<id>.zip beside the folder one.
  package::FileMap hello;
  for (const auto& [name, content] : files)
    if (name.rfind("problems/hello/", 0) == 0) hello[name.substr(15)] = content;
  files["problems/zipped.zip"] = zip_of(hello, "zipped/");
  package::ContestPackage parsed = package::parse_contest_package(files, {});
  ASSERT_EQ(parsed.setup.problems.size(), 2u);
  EXPECT_EQ(parsed.setup.problems[0].problem.id, "hello");
  EXPECT_EQ(parsed.setup.problems[0].problem.name, "Hello");
  EXPECT_EQ(parsed.setup.problems[1].problem.id, "zipped");
  EXPECT_EQ(parsed.setup.problems[1].problem.ordinal, 2);
}

TEST(ContestPackageParser, BrokenPackagesNameTheFileAndTheEntry) {
  for (const auto& broken : broken_packages()) {
    package::FileMap files = good_files();
    broken.change(files);
    std::string error = parse_error(files);
    EXPECT_NE(error.find(broken.message), std::string::npos) << broken.what << ": " << error;
  }
}

// The rows an import writes. The API's feed hub writes state and awards events on its own a
// second after a change (an earlier, accepted import), so those are not counted.
std::string stored_rows(testenv::FreshDatabase& db) {
  return db.scalar(
      "SELECT (SELECT count(*) FROM contests) || '/' || (SELECT count(*) FROM organizations) "
      "|| '/' || (SELECT count(*) FROM groups) || '/' || (SELECT count(*) FROM teams) || '/' || "
      "(SELECT count(*) FROM team_groups) || '/' || (SELECT count(*) FROM contest_teams) || '/' "
      "|| (SELECT count(*) FROM problems) || '/' || (SELECT count(*) FROM testcases) || '/' || "
      "(SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM events WHERE type NOT IN "
      "('state', 'awards'))");
}

// judgectl with the arguments; returns the exit status and the output.
int judgectl(const std::vector<std::string>& args, const std::string& url, std::string& output) {
  std::string command = std::string(JUDGECTL_PATH) + " --database-url '" + url + "'";
  for (const auto& arg : args) command += " '" + arg + "'";
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A folder holding the files, removed again at the end of the scope.
struct TempPackage {
  explicit TempPackage(const package::FileMap& files) {
    path = fs::temp_directory_path() /
           ("contest-pkg-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    for (const auto& [name, content] : files) {
      fs::create_directories((path / name).parent_path());
      std::ofstream(path / name, std::ios::binary) << content;
    }
  }
  ~TempPackage() { fs::remove_all(path); }
  fs::path path;
  static inline int counter = 0;
};

class ContestApi {
 public:
  explicit ContestApi(const std::string& url) {
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{
            "DATABASE_URL=" + url,
            "REDIS_URL=" + testenv::redis_url() + "/" + std::to_string(kRedisDb),
            "JWT_SECRET=contest-package-secret", "JUDGE_LOG_LEVEL=warn"});
  }
  ~ContestApi() { EXPECT_EQ(api->stop(), 0); }
  json get(const std::string& path, const std::string& token) {
    auto r = testenv::http(port, "GET", "/api/contests/nwerc-test" + path, "",
                           {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  int port = 0;
  std::unique_ptr<testenv::Process> api;
};

json read_json(const std::string& name) {
  std::ifstream in(good_dir() + "/" + name);
  return json::parse(in);
}

// GET of every imported object matches the package's files.
void expect_served_as_in_files(ContestApi& api) {
  std::string token = testenv::login(api.port, "admin", "admin-secret");
  json contest = api.get("", token);
  EXPECT_EQ(contest["name"], "NWERC test");
  EXPECT_EQ(contest["formal_name"], "Northwestern Europe Regional Contest, test run");
  EXPECT_EQ(contest["start_time"], "2031-11-23T09:00:00.000+00:00");
  EXPECT_EQ(contest["duration"], "5:00:00.000");
  EXPECT_EQ(contest["scoreboard_freeze_duration"], "1:00:00.000");
  EXPECT_EQ(contest["penalty_time"], 20);
  for (const char* file : {"organizations", "groups", "teams"}) {
    json expected = read_json(std::string(file) + ".json");
    json served = api.get("/" + std::string(file), token);
    ASSERT_EQ(served.size(), expected.size()) << file;
    for (const auto& want : expected) {
      auto got = std::find_if(served.begin(), served.end(),
                              [&](const json& o) { return o["id"] == want["id"]; });
      ASSERT_NE(got, served.end()) << file << " " << want["id"];
      for (const auto& [key, value] : want.items()) {
        if (key == "group_ids") {
          auto a = value.get<std::vector<std::string>>(),
               b = (*got)[key].get<std::vector<std::string>>();
          std::sort(a.begin(), a.end());
          std::sort(b.begin(), b.end());
          EXPECT_EQ(a, b) << file << " " << want["id"];
        } else {
          EXPECT_EQ((*got)[key], value) << file << " " << want["id"] << " " << key;
        }
      }
    }
  }
  json problem = api.get("/problems/hello", token);
  EXPECT_EQ(problem["label"], "A");
  EXPECT_EQ(problem["name"], "Hello Contest");
  EXPECT_EQ(problem["ordinal"], 1);
  EXPECT_EQ(problem["rgb"], "#00f");
  EXPECT_EQ(problem["time_limit"], 2);
  EXPECT_EQ(problem["test_data_count"], 2);
  // Accounts are global: the API test's own admin and jury are listed too.
  json accounts = api.get("/accounts", token);
  for (const char* username : {"admin", "judge1", "team1", "team2"}) {
    EXPECT_NE(std::find_if(accounts.begin(), accounts.end(),
                           [&](const json& a) { return a["username"] == username; }),
              accounts.end())
        << username << " in " << accounts;
  }
  json team1 = api.get("/accounts/team1", token);
  EXPECT_EQ(team1["type"], "team");
  EXPECT_EQ(team1["team_id"], "t1");
  EXPECT_EQ(api.get("/accounts/judge1", token)["type"], "judge");
  // The team's password from the file works.
  testenv::login(api.port, "team1", "till-wise-under");
}

TEST(ContestCli, ImportsAFolderAndGetServesWhatTheFilesSay) {
  testenv::FreshDatabase db;
  std::string out;
  ASSERT_EQ(judgectl({"import-contest", good_dir()}, db.url(), out), 0) << out;
  EXPECT_NE(out.find("parsed: contest.yaml: contest nwerc-test"), std::string::npos) << out;
  EXPECT_NE(out.find("parsed: teams.json: 3 teams"), std::string::npos) << out;
  EXPECT_NE(out.find("parsed: problems/hello/: problem hello (A, Hello Contest), 2 tests"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("stored: contest nwerc-test with 2 organizations, 2 groups, 3 teams, "
                     "1 problems, 4 accounts"),
            std::string::npos)
      << out;
  // The generated password is printed, and it logs team2 in.
  auto at = out.find("password: team2\t");
  ASSERT_NE(at, std::string::npos) << out;
  std::string password = out.substr(at + 16, out.find('\n', at) - at - 16);
  {
    ContestApi api(db.url());
    ASSERT_TRUE(testenv::wait_until_serving(api.port, kStartupMs));
    expect_served_as_in_files(api);
    testenv::login(api.port, "team2", password);
  }
  // Again: the contest exists, so nothing changes.
  std::string before = stored_rows(db);
  out.clear();
  EXPECT_EQ(judgectl({"import-contest", good_dir()}, db.url(), out), 1) << out;
  EXPECT_NE(out.find("contest 'nwerc-test' already exists in the database; nothing was imported"),
            std::string::npos)
      << out;
  EXPECT_EQ(stored_rows(db), before);
}

TEST(ContestCli, BrokenPackagesImportNothingAndNameTheFileAndEntry) {
  testenv::FreshDatabase db;
  const std::string before = stored_rows(db);
  for (const auto& broken : broken_packages()) {
    package::FileMap files = good_files();
    broken.change(files);
    TempPackage folder(files);
    std::string out;
    EXPECT_EQ(judgectl({"import-contest", folder.path.string()}, db.url(), out), 1)
        << broken.what << ": " << out;
    EXPECT_NE(out.find(broken.message), std::string::npos) << broken.what << ": " << out;
    EXPECT_NE(out.find("nothing was imported"), std::string::npos) << out;
    EXPECT_EQ(stored_rows(db), before) << broken.what;
  }
}

TEST(ContestCli, ATakenTeamRollsTheWholeImportBack) {
  testenv::FreshDatabase db;
  {
    core::Store store(db.url());
    core::SetupStore(store).upsert_contest(
        {"other", "other", "other", core::now_ms(), 3'600'000, std::nullopt, 20, "pass-fail"});
    core::SetupStore(store).insert_team("other", core::Team{"t2", "Someone else", "", {}, {}});
  }
  const std::string before = stored_rows(db);
  // A zip this time: the same reader as the API's.
  const fs::path zip =
      fs::temp_directory_path() / ("contest-pkg-" + std::to_string(getpid()) + ".zip");
  { std::ofstream(zip, std::ios::binary) << zip_of(good_files()); }
  std::string out;
  EXPECT_EQ(judgectl({"import-contest", zip.string()}, db.url(), out), 1) << out;
  fs::remove(zip);
  EXPECT_NE(out.find("team 't2' already exists in the database; nothing was imported"),
            std::string::npos)
      << out;
  // The contest, organizations and groups written before the team were rolled back too.
  EXPECT_EQ(stored_rows(db), before);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM contests WHERE id = 'nwerc-test'"), "0");
}

TEST(ContestApiImport, ZipImportsAndBrokenOnesAre4xxNamingTheFile) {
  testenv::FreshDatabase db;
  {
    core::Store store(db.url());
    core::AccountStore accounts(store);
    accounts.upsert_user("root", core::hash_password("pw"), core::Role::Admin, std::nullopt);
    accounts.upsert_user("jury", core::hash_password("pw"), core::Role::Jury, std::nullopt);
  }
  ContestApi api(db.url());
  ASSERT_TRUE(testenv::wait_until_serving(api.port, kStartupMs));
  const std::string admin = testenv::login(api.port, "root", "pw");
  auto post = [&](const std::string& body, const std::string& token,
                  const std::string& type = "application/zip") {
    std::map<std::string, std::string> headers = {{"Content-Type", type}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return testenv::http(api.port, "POST", "/api/contest-packages", body, headers);
  };
  const std::string before = stored_rows(db);
  EXPECT_EQ(post(zip_of(good_files()), testenv::login(api.port, "jury", "pw")).status, 403);
  EXPECT_EQ(post(zip_of(good_files()), "").status, 401);
  EXPECT_EQ(post("{}", admin, "application/json").status, 415);
  EXPECT_EQ(post("not a zip", admin).status, 400);
  for (const auto& broken : broken_packages()) {
    package::FileMap files = good_files();
    broken.change(files);
    auto r = post(zip_of(files), admin);
    EXPECT_EQ(r.status, 422) << broken.what << ": " << r.body;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_NE(body.value("message", "").find(broken.message), std::string::npos)
        << broken.what << ": " << r.body;
    EXPECT_EQ(stored_rows(db), before) << broken.what;
  }
  auto r = post(zip_of(good_files()), admin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers["location"], "/api/contests/nwerc-test");
  json body = json::parse(r.body);
  EXPECT_EQ(body["id"], "nwerc-test");
  EXPECT_EQ(body["imported"]["teams"], 3);
  ASSERT_EQ(body["generated_passwords"].size(), 1u);
  EXPECT_EQ(body["generated_passwords"][0]["username"], "team2");
  expect_served_as_in_files(api);
  testenv::login(api.port, "team2", body["generated_passwords"][0]["password"]);
  // The same package again: the contest id is taken.
  const std::string after = stored_rows(db);
  r = post(zip_of(good_files()), admin);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("contest 'nwerc-test' already exists"), std::string::npos) << r.body;
  EXPECT_EQ(stored_rows(db), after);
}

}  // namespace
