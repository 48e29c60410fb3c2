// Problem package import: the packages in tests/packages/ (zipped in memory) through the parser,
// POST .../problems with a zip body and judgectl import-problem. A broken package must be a 4xx
// (exit status 1) naming the problem and the file, with nothing stored.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/account_store.h"
#include "core/auth.h"
#include "core/contest_reads.h"
#include "core/problem_data.h"
#include "core/setup_store.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "package/problem_package.h"
#include "test_env.h"
#include "zip_builder.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr int kRedisDb = 12;
constexpr int kStartupMs = 30000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// tests/packages/<name> as a zip whose entries sit in a top folder named <name>.
std::string zip_package(const std::string& name) {
  return testenv::zip_folder(std::string(PACKAGES_DIR) + "/" + name, name + "/");
}

// The parser's error for a package, or "" when it parsed.
std::string parse_error(const std::string& name) {
  try {
    package::FileMap files = package::read_zip(zip_package(name));
    package::strip_top_folder(files);
    package::parse_package(files, {name, "", 0});
  } catch (const package::PackageError& e) {
    EXPECT_EQ(e.status(), 422) << e.what();
    return e.what();
  }
  return "";
}

TEST(PackageParser, GoodPackageHasLimitsFlagsAndTestsInPathOrder) {
  package::FileMap files = package::read_zip(zip_package("good"));
  EXPECT_EQ(package::strip_top_folder(files), "good");
  core::NewProblem n = package::parse_package(files, {"good", "G", 3});
  EXPECT_EQ(n.problem.id, "good");
  EXPECT_EQ(n.problem.label, "G");
  EXPECT_EQ(n.problem.ordinal, 3);
  EXPECT_EQ(n.problem.name, "Good Sum");
  EXPECT_EQ(n.problem.time_limit_ms, 2500);  // From .timelimit.
  EXPECT_EQ(n.problem.memory_limit_kib, 512 * 1024);
  EXPECT_EQ(n.problem.output_limit_kib, 16 * 1024);
  EXPECT_EQ(n.problem.validator_flags, "float_tolerance 1e-6 case_sensitive");
  ASSERT_EQ(n.tests.size(), 5u);
  // sample/01, then secret in path order: group1/1, group1/2, group2/nested/1, top.
  const char* inputs[] = {"1 2\n", "10 20\n", "5 5\n", "100 1\n", "0 0\n"};
  for (size_t i = 0; i < n.tests.size(); ++i) {
    EXPECT_EQ(n.tests[i].input, inputs[i]) << i;
    EXPECT_EQ(n.tests[i].is_sample, i == 0) << i;
  }
  EXPECT_EQ(n.tests[3].answer, "101\n");
  EXPECT_EQ(n.problem.test_count, 5);
}

TEST(PackageParser, CustomValidatorSourcesAreKept) {
  package::FileMap files = package::read_zip(zip_package("validator_perm"));
  package::strip_top_folder(files);
  core::NewProblem n = package::parse_package(files, {"perm", "", 0});
  EXPECT_EQ(n.problem.validation, "custom");
  ASSERT_EQ(n.validator_files.size(), 2u);
  EXPECT_EQ(n.validator_files[0].first, "perm_check.h");
  EXPECT_EQ(n.validator_files[1].first, "validator.cpp");
  EXPECT_NE(n.validator_files[1].second.find("is_permutation_of_1_to_n"), std::string::npos);
  EXPECT_EQ(n.tests.size(), 2u);

  files = package::read_zip(zip_package("interactive_guess"));
  package::strip_top_folder(files);
  n = package::parse_package(files, {"guess", "", 0});
  EXPECT_EQ(n.problem.validation, "custom interactive");
  ASSERT_EQ(n.validator_files.size(), 1u);
  EXPECT_EQ(n.validator_files[0].first, "guess.cpp");
}

TEST(PackageParser, CustomValidatorFlagsAreTheValidatorsArguments) {
  package::FileMap files = {{"problem.yaml", "validation: custom\nvalidator_flags: strict 3\n"},
                            {"output_validators/check.py", "import sys\nsys.exit(42)\n"},
                            {"data/secret/a.in", "1\n"},
                            {"data/secret/a.ans", "1\n"}};
  core::NewProblem n = package::parse_package(files, {"p", "", 0});
  EXPECT_EQ(n.problem.validator_flags, "strict 3");
  ASSERT_EQ(n.validator_files.size(), 1u);
  EXPECT_EQ(n.validator_files[0].first, "check.py");
  // Default validation never stores validator files, even when the folder is there.
  files["problem.yaml"] = "validation: default\n";
  EXPECT_TRUE(package::parse_package(files, {"p", "", 0}).validator_files.empty());
  files["problem.yaml"] = "validation: custom\n";
  files["output_validators/a/b/deep.cpp"] = "";
  EXPECT_THROW(package::parse_package(files, {"p", "", 0}), package::PackageError);
}

TEST(PackageParser, LimitsInProblemYamlWithoutTimelimitFile) {
  package::FileMap files = {{"problem.yaml", "limits:\n  time_limit: 0.5\n"},
                            {"data/secret/a.in", "1\n"},
                            {"data/secret/a.ans", "1\n"}};
  core::NewProblem n = package::parse_package(files, {"p", "", 0});
  EXPECT_EQ(n.problem.time_limit_ms, 500);
  EXPECT_EQ(n.problem.name, "p");  // No name: the id.
  EXPECT_EQ(n.problem.label, "p");
}

struct Broken {
  const char* package;
  const char* file;
  const char* why;
};
const Broken kBroken[] = {
    {"no_yaml", "problem.yaml", "missing"},
    {"bad_yaml", "problem.yaml", "not valid YAML"},
    {"missing_ans", "data/secret/1.in", "no matching .ans"},
    {"bad_flags", "problem.yaml", "ignore_case"},
    {"custom", "output_validators/", "custom validation needs the validator's sources"},
    {"custom_ambiguous", "output_validators/", "no usable validator source"},
    {"empty_data", "data/", "no test data"},
    {"scored_bad_testdata", "data/secret/g1/testdata.yaml", "not valid YAML"},
    {"scored_negative", "data/secret/g2/testdata.yaml", "accept_score: -5 must be from 0"},
};

TEST(PackageParser, BrokenPackagesNameTheProblemAndTheFile) {
  for (const auto& broken : kBroken) {
    std::string error = parse_error(broken.package);
    EXPECT_NE(error.find("problem '" + std::string(broken.package) + "'"), std::string::npos)
        << error;
    EXPECT_NE(error.find(std::string(broken.file) + ": "), std::string::npos) << error;
    EXPECT_NE(error.find(broken.why), std::string::npos) << error;
  }
}

TEST(PackageParser, RefusesTraversalNamesAndOtherProblemTypes) {
  for (const char* name : {"../problem.yaml", "/problem.yaml", "data/../../x.in", "a\\b.in"}) {
    std::string zip = testenv::make_zip({{"problem.yaml", "name: x\n"}, {name, "1\n"}});
    try {
      package::read_zip(zip);
      ADD_FAILURE() << name << " was accepted";
    } catch (const package::PackageError& e) {
      EXPECT_EQ(e.status(), 422) << name;
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  for (const char* yaml : {"type: submit-answer\n", "validation: custom interactive\n",
                           "validator_flags: float_tolerance\n", "limits:\n  memory: lots\n",
                           "limits:\n  time_limit: -1\n", "- a list\n"}) {
    package::FileMap files = {
        {"problem.yaml", yaml}, {"data/secret/a.in", ""}, {"data/secret/a.ans", ""}};
    EXPECT_THROW(package::parse_package(files, {"p", "", 0}), package::PackageError) << yaml;
  }
  EXPECT_THROW(package::read_zip("not a zip"), package::PackageError);
}

TEST(PackageParser, ScoredPackageHasGroupsWithPointsInPathOrder) {
  package::FileMap files = package::read_zip(zip_package("scored"));
  package::strip_top_folder(files);
  core::NewProblem n = package::parse_package(files, {"scored", "", 0});
  ASSERT_EQ(n.groups.size(), 3u);
  const char* names[] = {"g1_small", "g2_large", "g3_zero"};
  const double points[] = {10, 30, 1};  // accept_score, points, the default.
  const bool continues[] = {false, true, false};
  for (size_t g = 0; g < 3; ++g) {
    EXPECT_EQ(n.groups[g].ordinal, static_cast<int>(g) + 1);
    EXPECT_EQ(n.groups[g].name, names[g]);
    EXPECT_DOUBLE_EQ(n.groups[g].points, points[g]);
    EXPECT_EQ(n.groups[g].continue_on_reject, continues[g]) << g;
  }
  std::vector<int> groups;
  for (const auto& t : n.tests) groups.push_back(t.group);
  EXPECT_EQ(groups, (std::vector<int>{0, 1, 1, 2, 2, 3})) << "the sample is in no group";
}

// A scoring problem.yaml with the given testdata.yaml files, one test per listed group folder.
std::string scoring_error(const std::string& type, const package::FileMap& extra) {
  package::FileMap files = {{"problem.yaml", "type: " + type + "\n"},
                            {"data/secret/g1/1.in", "1\n"},
                            {"data/secret/g1/1.ans", "1\n"}};
  files.insert(extra.begin(), extra.end());
  try {
    package::parse_package(files, {"p", "", 0});
  } catch (const package::PackageError& e) {
    return e.what();
  }
  return "";
}

TEST(PackageParser, ScoringRulesRefuseWhatCannotBeJudgedRight) {
  EXPECT_EQ(scoring_error("scoring", {}), "");
  EXPECT_EQ(scoring_error("[pass-fail, scoring]", {}), "");
  EXPECT_NE(scoring_error("[scoring, interactive]", {}).find("type 'interactive'"),
            std::string::npos);
  const std::pair<package::FileMap, const char*> broken[] = {
      {{{"data/secret/g1/testdata.yaml", "points: 2\naccept_score: 3\n"}}, "differ"},
      {{{"data/secret/g1/testdata.yaml", "points: many\n"}}, "not a number"},
      {{{"data/secret/g1/testdata.yaml", "- 1\n"}}, "must be a mapping"},
      {{{"data/secret/g1/testdata.yaml", "grader_flags: avg\n"}}, "'avg' is not supported"},
      {{{"data/secret/g1/testdata.yaml", "on_reject: maybe\n"}}, "break or continue"},
      {{{"data/secret/g1/testdata.yaml", "reject_score: 1\n"}}, "only 0"},
      {{{"data/secret/testdata.yaml", "on_reject: break\n"}}, "only 'continue'"},
      {{{"data/secret/loose.in", "1\n"}, {"data/secret/loose.ans", "1\n"}}, "beside group"},
  };
  for (const auto& [extra, why] : broken) {
    std::string error = scoring_error("scoring", extra);
    EXPECT_NE(error.find(why), std::string::npos) << why << ": " << error;
  }
  // Tests directly in data/secret form one group, worth data/secret/testdata.yaml's points.
  package::FileMap loose = {{"problem.yaml", "type: scoring\n"},
                            {"data/secret/1.in", "1\n"},
                            {"data/secret/1.ans", "1\n"},
                            {"data/secret/testdata.yaml", "points: 7.5\n"}};
  core::NewProblem n = package::parse_package(loose, {"p", "", 0});
  ASSERT_EQ(n.groups.size(), 1u);
  EXPECT_EQ(n.groups[0].name, "secret");
  EXPECT_DOUBLE_EQ(n.groups[0].points, 7.5);
  // Pass-fail packages have no groups, even with group folders.
  package::FileMap plain = {{"problem.yaml", "name: x\n"},
                            {"data/secret/g1/1.in", "1\n"},
                            {"data/secret/g1/1.ans", "1\n"}};
  EXPECT_TRUE(package::parse_package(plain, {"p", "", 0}).groups.empty());
}

std::vector<core::Language> test_languages() {
  core::Language c, py;
  c.id = "c";
  c.extensions = {"c"};
  py.id = "python3";
  py.extensions = {"py"};
  return {c, py};
}

TEST(PackageParser, JurySubmissionsByFolderAndExtension) {
  package::FileMap files = package::read_zip(zip_package("jury"));
  package::strip_top_folder(files);
  package::ImportOptions options{"jury", "", 0};
  EXPECT_TRUE(package::parse_package(files, options).jury_submissions.empty()) << "opt-in only";
  options.jury_submissions = true;
  options.languages = test_languages();
  std::vector<std::string> warnings;
  core::NewProblem n = package::parse_package(files, options, &warnings);
  std::vector<std::string> got;
  for (const auto& js : n.jury_submissions)
    got.push_back(js.path + " " + js.language_id + " " + domain::to_string(js.expected_verdict));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "submissions/accepted/misfiled.py python3 AC",
                     "submissions/accepted/sum.c c AC",
                     "submissions/accepted/sum.py python3 AC",
                     "submissions/time_limit_exceeded/spin.c c TLE",
                     "submissions/time_limit_exceeded/spin.py python3 TLE",
                     "submissions/wrong_answer/product.c c WA",
                     "submissions/wrong_answer/product.py python3 WA",
                 }));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("submissions/accepted/notes.txt"), std::string::npos) << warnings[0];
  EXPECT_NE(n.jury_submissions[1].source.find("printf"), std::string::npos);
}

// judge-api on a fresh database with contest "c" and a jury account.
class PackageImport : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      core::Store store(db.url());
      core::SetupStore(store).upsert_contest(
          {"c", "c", "c", core::now_ms(), 3'600'000, std::nullopt, 20, "pass-fail"});
      core::AccountStore(store).upsert_user("jury", core::hash_password("pw"), core::Role::Jury,
                                            std::nullopt);
    }
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{
            "DATABASE_URL=" + db.url(),
            "REDIS_URL=" + testenv::redis_url() + "/" + std::to_string(kRedisDb),
            "JWT_SECRET=package-secret", "JUDGE_LOG_LEVEL=warn"});
    ASSERT_TRUE(testenv::wait_until_serving(port, kStartupMs));
    token = testenv::login(port, "jury", "pw");
  }
  void TearDown() override { EXPECT_EQ(api->stop(), 0); }

  testenv::HttpResponse upload(const std::string& zip, const std::string& query = "") {
    return testenv::http(
        port, "POST", "/api/contests/c/problems" + query, zip,
        {{"Content-Type", "application/zip"}, {"Authorization", "Bearer " + token}});
  }
  std::string stored_rows() {
    return db.scalar(
        "SELECT (SELECT count(*) FROM problems) || '/' || "
        "(SELECT count(*) FROM testcases)");
  }

  testenv::FreshDatabase db;
  int port = 0;
  std::unique_ptr<testenv::Process> api;
  std::string token;
};

TEST_F(PackageImport, ZipUploadStoresProblemAndTests) {
  auto r = upload(zip_package("good"), "?label=G&ordinal=2");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers["location"], "/api/contests/c/problems/good");
  auto doc = json::parse(r.body);
  EXPECT_EQ(doc["id"], "good");
  EXPECT_EQ(doc["label"], "G");
  EXPECT_EQ(doc["name"], "Good Sum");
  core::Store store(db.url());
  auto problem = core::ContestReads(store).problem("c", "good");
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->time_limit_ms, 2500);
  EXPECT_EQ(problem->ordinal, 2);
  EXPECT_EQ(problem->validator_flags, "float_tolerance 1e-6 case_sensitive");
  auto tests = core::ProblemData(store).testcases("c", "good");
  ASSERT_EQ(tests.size(), 5u);
  EXPECT_TRUE(tests[0].is_sample);
  EXPECT_EQ(tests[3].input_sha, core::sha256_hex("100 1\n"));
  // The same id again is a conflict; ?id= picks another id for the same package.
  EXPECT_EQ(upload(zip_package("good")).status, 409);
  EXPECT_EQ(upload(zip_package("good"), "?id=good2").status, 201);
  EXPECT_EQ(stored_rows(), "2/10");
}

TEST_F(PackageImport, ScoredPackageStoresGroupsWithItsTests) {
  auto r = upload(zip_package("scored"));
  ASSERT_EQ(r.status, 201) << r.body;
  core::Store store(db.url());
  core::ProblemData problem_data(store);
  auto groups = problem_data.problem_groups("c", "scored");
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[1].name, "g2_large");
  EXPECT_DOUBLE_EQ(groups[1].points, 30);
  EXPECT_TRUE(groups[1].continue_on_reject);
  std::string test_groups;
  for (const auto& t : problem_data.testcases("c", "scored"))
    test_groups += std::to_string(t.group);
  EXPECT_EQ(test_groups, "011223");
  // A pass-fail package stores no groups.
  ASSERT_EQ(upload(zip_package("good")).status, 201);
  EXPECT_TRUE(problem_data.problem_groups("c", "good").empty());
}

TEST_F(PackageImport, JurySubmissionsAreOptInHiddenAndListed) {
  EXPECT_EQ(upload(zip_package("jury"), "?jury_submissions=maybe").status, 422);
  auto r = upload(zip_package("jury"), "?jury_submissions=true");
  ASSERT_EQ(r.status, 201) << r.body;
  auto doc = json::parse(r.body);
  EXPECT_EQ(doc["jury_submissions"], 7);
  ASSERT_EQ(doc["warnings"].size(), 1u);
  EXPECT_NE(doc["warnings"][0].get<std::string>().find("notes.txt"), std::string::npos);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions WHERE is_jury AND team_id = '_jury'"), "7");
  // Without the option the same package imports no submissions.
  ASSERT_EQ(upload(zip_package("jury"), "?id=jury2").status, 201);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM submissions"), "7");

  auto listing = testenv::http(port, "GET", "/api/contests/c/problems/jury/jury-submissions", "",
                               {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(listing.status, 200) << listing.body;
  auto list = json::parse(listing.body);
  EXPECT_EQ(list["total"], 7);
  EXPECT_EQ(list["pending"], 7) << "no worker runs here";
  EXPECT_EQ(list["mismatches"], 0);
  EXPECT_EQ(list["submissions"][0]["file"], "submissions/accepted/misfiled.py");
  // `.py` is CPython's, although PyPy claims the extension too.
  EXPECT_EQ(list["submissions"][0]["language_id"], "python3");
  EXPECT_EQ(list["submissions"][0]["expected"], "AC");
  EXPECT_TRUE(list["submissions"][0]["actual"].is_null());
  EXPECT_EQ(list["submissions"][0]["match"], false);
  EXPECT_EQ(testenv::http(port, "GET", "/api/contests/c/problems/jury/jury-submissions").status,
            401);
  EXPECT_EQ(testenv::http(port, "GET", "/api/contests/c/problems/nope/jury-submissions", "",
                          {{"Authorization", "Bearer " + token}})
                .status,
            404);
}

TEST_F(PackageImport, CustomValidatorIsStoredWithTheProblem) {
  auto r = upload(zip_package("validator_perm"));
  ASSERT_EQ(r.status, 201) << r.body;
  core::Store store(db.url());
  core::ProblemData problem_data(store);
  EXPECT_EQ(core::ContestReads(store).problem("c", "validator_perm")->validation, "custom");
  auto files = problem_data.validator_files("c", "validator_perm");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].first, "validator.cpp");
  EXPECT_EQ(files[1].second, read_file(fs::path(PACKAGES_DIR) /
                                       "validator_perm/output_validators/perm/validator.cpp"));
  // Importing it again under another id shares the blobs; a default problem has no files.
  ASSERT_EQ(upload(zip_package("validator_perm"), "?id=again").status, 201);
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT sha256) FROM problem_validator_files"), "2");
  ASSERT_EQ(upload(zip_package("good")).status, 201);
  EXPECT_TRUE(problem_data.validator_files("c", "good").empty());
}

TEST_F(PackageImport, BrokenPackagesAre4xxAndStoreNothing) {
  for (const auto& broken : kBroken) {
    auto r = upload(zip_package(broken.package));
    EXPECT_EQ(r.status, 422) << broken.package << ": " << r.body;
    std::string message = json::parse(r.body, nullptr, false).value("message", "");
    EXPECT_NE(message.find(broken.file), std::string::npos) << message;
    EXPECT_NE(message.find(broken.package), std::string::npos) << message;
  }
  EXPECT_EQ(upload(testenv::make_zip({{"p/../../problem.yaml", "name: x\n"}}), "?id=p").status,
            422);
  EXPECT_EQ(upload("not a zip", "?id=p").status, 400);
  // Loose files (no top folder) need ?id=.
  EXPECT_EQ(upload(testenv::make_zip({{"problem.yaml", "name: x\n"}})).status, 422);
  EXPECT_EQ(stored_rows(), "0/0");
}

TEST_F(PackageImport, ZipIsOnlyAcceptedForProblems) {
  auto r =
      testenv::http(port, "POST", "/api/contests/c/teams", zip_package("good"),
                    {{"Content-Type", "application/zip"}, {"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 415) << r.body;
}

// judgectl import-problem; returns the exit status and the output.
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

TEST(PackageCli, ImportsAFolderAndAZipAndRefusesBrokenOnes) {
  testenv::FreshDatabase db;
  core::Store seed(db.url());
  core::SetupStore(seed).upsert_contest(
      {"c", "c", "c", core::now_ms(), 3'600'000, std::nullopt, 20, "pass-fail"});
  std::string out;
  EXPECT_EQ(judgectl({"import-problem", "--contest", "c", std::string(PACKAGES_DIR) + "/good"},
                     db.url(), out),
            0)
      << out;
  EXPECT_NE(out.find("read: "), std::string::npos) << out;
  EXPECT_NE(out.find("parsed: Good Sum, 5 tests"), std::string::npos) << out;
  EXPECT_NE(out.find("stored: problem good"), std::string::npos) << out;

  const fs::path zip = fs::temp_directory_path() / ("pkg-" + std::to_string(getpid()) + ".zip");
  { std::ofstream(zip, std::ios::binary) << zip_package("good"); }
  out.clear();
  EXPECT_EQ(judgectl({"import-problem", "--contest", "c", "--id", "fromzip", zip.string()},
                     db.url(), out),
            0)
      << out;
  fs::remove(zip);

  out.clear();
  EXPECT_EQ(judgectl({"import-problem", "--contest", "c", std::string(PACKAGES_DIR) + "/custom"},
                     db.url(), out),
            1)
      << out;
  EXPECT_NE(out.find("problem 'custom': output_validators/: custom validation needs"),
            std::string::npos)
      << out;
  EXPECT_EQ(db.scalar("SELECT string_agg(id, ',' ORDER BY id) FROM problems"), "fromzip,good");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM testcases"), "10");

  out.clear();
  EXPECT_EQ(judgectl({"import-problem", "--contest", "c", "--jury-submissions",
                      std::string(PACKAGES_DIR) + "/jury"},
                     db.url(), out),
            0)
      << out;
  EXPECT_NE(out.find("7 jury submissions"), std::string::npos) << out;
  EXPECT_NE(out.find("warning: submissions/accepted/notes.txt"), std::string::npos) << out;
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jury_submissions WHERE problem_id = 'jury'"), "7");
  out.clear();
  EXPECT_EQ(judgectl({"import-problem", "--contest", "c", std::string(PACKAGES_DIR) + "/scored"},
                     db.url(), out),
            0)
      << out;
  EXPECT_NE(out.find("6 tests, 3 groups"), std::string::npos) << out;
}

}  // namespace
