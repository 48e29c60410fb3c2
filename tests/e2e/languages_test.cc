// Languages end to end (issue 6): multi-file submissions through judge-api and a judge-worker in
// the real sandbox (C++, Java with an entry point, Python), the refusals at submit time, and a
// worker whose self-test finds a broken compiler: that language is disabled on it, with one log
// line and a 0 in /metrics, while the others are judged. Redis db 7.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/account_store.h"
#include "core/auth.h"
#include "files.h"
#include "test_env.h"
#include "worker_harness.h"
#include "zip_builder.h"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr int kRedisDb = 7;
constexpr int kJudgeTimeoutMs = 120000;

json zip_body(const std::string& language, const std::vector<testenv::ZipEntry>& files,
              const std::optional<std::string>& entry_point = std::nullopt) {
  json body = {{"problem_id", "sum"},
               {"language_id", language},
               {"files", {{{"data", testenv::base64_encode(testenv::make_zip(files))}}}}};
  if (entry_point) body["entry_point"] = *entry_point;
  return body;
}

class Languages : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Store store(db.url());
    harness::seed_contest(store, contest, {"t1"});
    core::AccountStore(store).upsert_user("team1", core::hash_password("pw1"), core::Role::Team,
                                          "t1");
    work = fs::temp_directory_path() / ("languages-e2e-" + std::to_string(getpid()));
    fs::create_directories(work);
    redis = testenv::redis_url() + "/" + std::to_string(kRedisDb);
    harness::Redis(*core::parse_redis_url(redis)).flushdb();  // No items of an earlier test.
    port = testenv::free_port();
    api = std::make_unique<testenv::Process>(
        std::vector<std::string>{JUDGE_API_PATH, "--listen", "127.0.0.1:" + std::to_string(port)},
        std::vector<std::string>{"DATABASE_URL=" + db.url(), "REDIS_URL=" + redis,
                                 "JWT_SECRET=languages-secret", "JUDGE_SUBMIT_RATE_LIMIT=0"});
    ASSERT_TRUE(testenv::wait_until_serving(port, 30000)) << "judge-api did not come up";
    token = testenv::login(port, "team1", "pw1");
  }
  void TearDown() override {
    if (worker) {
      EXPECT_EQ(worker->stop(), 0) << "worker exits cleanly on SIGTERM";
    }
    EXPECT_EQ(api->stop(), 0);
    std::error_code ec;
    fs::remove_all(work, ec);
  }

  // A worker judging `languages`, its log in work/worker.log, /metrics on metrics_port.
  void start_worker(const std::string& languages) {
    metrics_port = testenv::free_port();
    const std::string log = (work / "worker.log").string();
    std::vector<std::string> argv = {"/bin/sh",
                                     "-c",
                                     "exec \"$0\" \"$@\" >>" + log + " 2>&1",
                                     JUDGE_WORKER_PATH,
                                     "--worker-id",
                                     "lw1",
                                     "--work-root",
                                     (work / "w").string(),
                                     "--box-helper",
                                     JUDGE_BOX_PATH,
                                     "--slots",
                                     "1",
                                     "--languages",
                                     languages,
                                     "--metrics-listen",
                                     "127.0.0.1:" + std::to_string(metrics_port)};
    std::vector<std::string> env = {"DATABASE_URL=" + db.url(), "REDIS_URL=" + redis,
                                    "JUDGE_LOG_LEVEL=info"};
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
      if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
    worker = std::make_unique<testenv::Process>(argv, env);
  }

  testenv::HttpResponse submit(const json& body) {
    return testenv::http(
        port, "POST", "/api/contests/" + contest + "/submissions", body.dump(),
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }
  std::string submit_ok(const json& body) {
    auto r = submit(body);
    EXPECT_EQ(r.status, 202) << r.body;
    return r.status == 202 ? json::parse(r.body)["id"].get<std::string>() : "";
  }
  json get(const std::string& path) {
    auto r = testenv::http(port, "GET", "/api/contests/" + contest + path, "",
                           {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.status == 200 ? json::parse(r.body) : json();
  }
  // The verdict of the submission's judgement, once there is one.
  std::string await_verdict(const std::string& id) {
    std::string verdict;
    testenv::eventually(
        [&] {
          for (const auto& j : get("/judgements?submission_id=" + id))
            if (!j["judgement_type_id"].is_null()) verdict = j["judgement_type_id"];
          return !verdict.empty();
        },
        kJudgeTimeoutMs);
    return verdict;
  }
  std::string metrics() { return testenv::http(metrics_port, "GET", "/metrics", "", {}).body; }

  testenv::FreshDatabase db;
  const std::string contest = "lang";
  fs::path work;
  std::string redis, token;
  int port = 0, metrics_port = 0;
  std::unique_ptr<testenv::Process> api, worker;
};

const char* kSumHeader = "long add(long a, long b);\n";
const char* kSumCpp = "#include \"sum.h\"\nlong add(long a, long b) { return a + b; }\n";
const char* kMainCpp =
    "#include <iostream>\n#include \"sum.h\"\n"
    "int main() { long a, b; std::cin >> a >> b; std::cout << add(a, b) << '\\n'; }\n";
const char* kMainJava =
    "import java.util.Scanner;\npublic class Main {\n  public static void main(String[] args) {\n"
    "    Scanner in = new Scanner(System.in);\n"
    "    System.out.println(Adder.add(in.nextLong(), in.nextLong()));\n  }\n}\n";
const char* kAdderJava =
    "public class Adder {\n  static long add(long a, long b) { return a + b; }\n"
    "  public static void main(String[] args) { System.out.println(0); }\n}\n";
const char* kMainPy =
    "from helper import add\na, b = map(int, input().split())\nprint(add(a, b))\n";
const char* kHelperPy = "def add(a, b):\n    return a + b\n";

TEST_F(Languages, MultiFileSubmissionsAreJudgedAndServedBack) {
  start_worker("cpp,java,python3");
  const std::string cpp = submit_ok(zip_body(
      "cpp", {{"sol/main.cpp", kMainCpp}, {"sol/sum.h", kSumHeader}, {"sol/sum.cpp", kSumCpp}}));
  // Two classes with main: the entry point says which one runs (Adder's prints 0: WA).
  const std::string java =
      submit_ok(zip_body("java", {{"Main.java", kMainJava}, {"Adder.java", kAdderJava}}, "Main"));
  const std::string java_other =
      submit_ok(zip_body("java", {{"Main.java", kMainJava}, {"Adder.java", kAdderJava}}, "Adder"));
  // No entry point: main.py runs.
  const std::string python =
      submit_ok(zip_body("python3", {{"helper.py", kHelperPy}, {"main.py", kMainPy}}));
  EXPECT_EQ(await_verdict(cpp), "AC");
  EXPECT_EQ(await_verdict(java), "AC");
  EXPECT_EQ(await_verdict(java_other), "WA");
  EXPECT_EQ(await_verdict(python), "AC");

  EXPECT_EQ(get("/submissions/" + java)["entry_point"], "Main");
  EXPECT_EQ(get("/submissions/" + python)["entry_point"], "main.py");
  EXPECT_TRUE(get("/submissions/" + cpp)["entry_point"].is_null()) << "C++ compiles every file";
  auto files =
      testenv::http(port, "GET", "/api/contests/" + contest + "/submissions/" + cpp + "/files", "",
                    {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(files.status, 200);
  auto entries = testenv::read_zip(files.body);
  ASSERT_EQ(entries.size(), 3u) << "every file comes back, by its path in the upload";
  std::map<std::string, std::string> by_name;
  for (const auto& e : entries) by_name[e.name] = e.content;
  EXPECT_EQ(by_name["sol/main.cpp"], kMainCpp);
  EXPECT_EQ(by_name["sol/sum.h"], kSumHeader);
  EXPECT_EQ(by_name["sol/sum.cpp"], kSumCpp);
}

TEST_F(Languages, RefusesWhatCannotBeJudgedAtSubmit) {
  std::vector<testenv::ZipEntry> many;
  for (int i = 0; i < 65; ++i) many.push_back({"f" + std::to_string(i) + ".py", "x = 1\n"});
  struct Refusal {
    const char* what;
    json body;
    int status;
    const char* message_part;
  };
  const std::vector<Refusal> refusals = {
      {"unsafe name", zip_body("python3", {{"../main.py", "print(3)\n"}}), 422, "unsafe name"},
      {"too many files", zip_body("python3", many), 422, "too many entries"},
      {"same name twice",
       zip_body("python3", {{"a/main.py", "print(3)\n"}, {"b/main.py", "print(3)\n"}}), 422,
       "two files are named"},
      {"python: several files, no main.py, no entry point",
       zip_body("python3", {{"a.py", "print(3)\n"}, {"b.py", "print(3)\n"}}), 400, "entry_point"},
      {"java: two classes with main, no entry point",
       zip_body("java", {{"Main.java", kMainJava}, {"Adder.java", kAdderJava}}), 400,
       "entry_point: cannot tell the main class"},
      {"entry point names no file",
       zip_body("python3", {{"main.py", kMainPy}, {"helper.py", kHelperPy}}, "solve.py"), 422,
       "not one of the submitted files"},
  };
  for (const auto& r : refusals) {
    auto reply = submit(r.body);
    EXPECT_EQ(reply.status, r.status) << r.what << ": " << reply.body;
    auto error = json::parse(reply.body, nullptr, false);
    ASSERT_TRUE(error.is_object() && error.contains("message")) << r.what << ": " << reply.body;
    EXPECT_NE(error["message"].get<std::string>().find(r.message_part), std::string::npos)
        << r.what << ": " << reply.body;
  }
  EXPECT_TRUE(get("/submissions").empty()) << "nothing refused is stored";
}

TEST_F(Languages, ABrokenCompilerDisablesOnlyItsLanguageOnThisWorker) {
  db.scalar(
      "UPDATE languages SET compile_argv[1] = '/usr/bin/no-such-fpc' WHERE id = 'pascal' "
      "RETURNING id");
  // The Pascal one first: were it claimable, the team's oldest submission would go first.
  const std::string pascal =
      submit_ok({{"problem_id", "sum"},
                 {"language_id", "pascal"},
                 {"source",
                  "program main;\nvar a, b: int64;\nbegin\n  readln(a, b);\n  writeln(a + b);\n"
                  "end.\n"}});
  const std::string python = submit_ok({{"problem_id", "sum"},
                                        {"language_id", "python3"},
                                        {"source",
                                         "a, b = map(int, input().split())\n"
                                         "print(a + b)\n"}});
  start_worker("python3,pascal");
  EXPECT_EQ(await_verdict(python), "AC");
  EXPECT_EQ(get("/submissions/" + pascal)["judging_state"], "queued");
  EXPECT_TRUE(get("/judgements?submission_id=" + pascal).empty());

  // The Pascal submission's queue item goes back for workers that can judge it (not dropped).
  EXPECT_TRUE(testenv::eventually(
      [&] {
        return harness::metric(metrics(), "judge_worker_submissions_total{outcome=\"put_back\"}") >
               0;
      },
      30000))
      << metrics();
  const std::string text = metrics();
  EXPECT_EQ(harness::metric(text, "judge_worker_language_ready{language=\"python3\"}"), 1) << text;
  EXPECT_EQ(text.find("judge_worker_language_ready{language=\"pascal\"} 0") != std::string::npos,
            true)
      << text;
  const std::string log = testenv::read_file(work / "worker.log");
  EXPECT_NE(log.find("language disabled on this worker language=pascal"), std::string::npos) << log;
  EXPECT_EQ(log.find("language disabled on this worker language=python3"), std::string::npos)
      << log;
  EXPECT_NE(log.find("language self-test done"), std::string::npos) << log;
}

}  // namespace
