// Golden end-to-end cases through the real sandbox (needs root, as in CI).
//
// Each folder cases/<case>/ holds one source file (a language's source_file: main.c, Main.java,
// ...) and `expected`, the verdict. All cases are judged against cases/problem/ (<n>.in / <n>.ans:
// print a + b) with the language rows of the migrations. Adding a case is adding a folder.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "files.h"
#include "judge/boxes.h"
#include "judge/judge.h"
#include "print.h"
#include "time_scale.h"

namespace {

namespace fs = std::filesystem;

using judge::JudgeOutcome;
using judge::JudgeRequest;
using judge::LanguageSpec;
using judge::Verdict;
using testenv::read_file;
using testenv::write_file;

// Exactly the rows of migrations/0001_init.sql and 0010_languages.sql (with the entry point
// core::resolve_entry_point gives a single file of the language's source_file name); keep them
// in sync.
struct GoldenLanguage {
  LanguageSpec spec;
  std::string entry_point;
};

const GoldenLanguage kLanguages[] = {
    {{"c",
      "main.c",
      {"/usr/bin/gcc", "-x", "c", "-std=gnu17", "-O2", "-pipe", "-static", "-o", "main", "{files}",
       "-lm"},
      {"./main"},
      {"c"}},
     ""},
    {{"cpp",
      "main.cpp",
      {"/usr/bin/g++", "-x", "c++", "-std=gnu++20", "-O2", "-pipe", "-static", "-o", "main",
       "{files}"},
      {"./main"},
      {"cpp", "cc", "cxx", "c++"}},
     ""},
    {{"python3",
      "main.py",
      {"/usr/bin/python3", "-m", "py_compile", "{files}"},
      {"/usr/bin/python3", "-S", "{entry}"},
      {"py"}},
     "main.py"},
    {{"pypy3",
      "main.py",
      {"/usr/bin/pypy3", "-m", "py_compile", "{files}"},
      {"/usr/bin/pypy3", "{entry}"},
      {"py"}},
     "main.py"},
    {{"java",
      "Main.java",
      {"/usr/bin/javac", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-encoding", "UTF-8",
       "-d", ".", "{files}"},
      {"/usr/bin/java", "-XX:+UseSerialGC", "-Xss64m", "-Xmx{heap_mib}m", "-cp", ".",
       "{entry_class}"},
      {"java"}},
     "Main"},
    {{"kotlin",
      "main.kt",
      {"/usr/bin/kotlinc", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-nowarn", "-d", ".",
       "{files}"},
      {"/usr/bin/java", "-XX:+UseSerialGC", "-Xss64m", "-Xmx{heap_mib}m", "-cp",
       ".:/usr/share/java/kotlin-stdlib.jar", "{entry_class}"},
      {"kt"}},
     "MainKt"},
    {{"rust",
      "main.rs",
      {"/usr/bin/rustc", "--edition=2021", "-O", "-o", "main", "{entry}"},
      {"./main"},
      {"rs"}},
     "main.rs"},
    {{"go", "main.go", {"/usr/bin/go", "build", "-o", "main", "{files}"}, {"./main"}, {"go"}}, ""},
    {{"javascript",
      "main.js",
      {"/usr/bin/node", "--check", "{entry}"},
      {"/usr/bin/node", "--max-old-space-size={heap_mib}", "{entry}"},
      {"js"}},
     "main.js"},
    {{"haskell",
      "main.hs",
      {"/usr/bin/ghc", "-O2", "-v0", "-o", "main", "{files}"},
      {"./main"},
      {"hs"}},
     ""},
    {{"pascal",
      "main.pas",
      {"/usr/bin/fpc", "-O2", "-Xs", "-v0", "-omain", "{entry}"},
      {"./main"},
      {"pas"}},
     "main.pas"},
};

constexpr int64_t kTimeLimitMs = 1000;
constexpr int64_t kMemoryLimitKib = 64 * 1024;
// Slots 600-699: away from workers' slots and from sandbox_test's 700+. One slot per case, so
// that cases running in parallel (ctest -j) never share a uid or a cgroup.
constexpr int kFirstSlot = 600;
constexpr int kMaxCases = 100;

const fs::path kCasesDir = JUDGE_CASES_DIR;
const fs::path kProblemDir = kCasesDir / "problem";

std::string trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

struct GoldenCase {
  std::string name;
  fs::path dir;
  int index = 0;  // Position in name order: picks the slot.
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

// Every folder with an `expected` file, in name order (the same order at discovery and at run).
std::vector<GoldenCase> find_cases() {
  std::vector<GoldenCase> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kCasesDir, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "expected"))
      cases.push_back({entry.path().filename().string(), entry.path()});
  }
  std::sort(cases.begin(), cases.end(),
            [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
  for (size_t i = 0; i < cases.size(); ++i) cases[i].index = static_cast<int>(i);
  return cases;
}

// The language a case folder names in its `language` file, else those whose source file it holds
// (the first of them: python3 before pypy3, which share main.py).
std::vector<const GoldenLanguage*> languages_of(const fs::path& dir) {
  std::vector<const GoldenLanguage*> found;
  const std::string named = trim(read_file(dir / "language"));
  for (const GoldenLanguage& language : kLanguages) {
    if (!named.empty() ? language.spec.id == named
                       : fs::exists(dir / language.spec.source_file) && found.empty())
      found.push_back(&language);
  }
  return found;
}

// The problem's tests: <n>.in with <n>.ans, in numeric order.
std::vector<judge::TestFile> problem_tests() {
  std::vector<judge::TestFile> tests;
  for (const auto& entry : fs::directory_iterator(kProblemDir)) {
    if (entry.path().extension() != ".in") continue;
    fs::path answer = entry.path();
    answer.replace_extension(".ans");
    tests.push_back({std::stoll(entry.path().stem().string()), entry.path(), answer});
  }
  std::sort(tests.begin(), tests.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return tests;
}

// Everything the jury would look at, for failure messages.
std::string describe(const JudgeOutcome& outcome) {
  std::ostringstream out;
  out << "verdict " << domain::to_string(outcome.verdict) << "\n";
  if (!outcome.compile_output.empty())
    out << "compile output:\n" << outcome.compile_output.substr(0, 2000) << "\n";
  for (const auto& t : outcome.tests) {
    out << "test " << t.ordinal << " (id " << t.test_id << "): " << domain::to_string(t.verdict)
        << " cpu " << t.cpu_ms << " ms, wall " << t.wall_ms << " ms, " << t.memory_kib << " KiB; "
        << t.message << "\n";
  }
  return out.str();
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {
 protected:
  void SetUp() override {
    std::string name = "/tmp/judge-golden-" + GetParam().name + "-XXXXXX";
    ASSERT_NE(::mkdtemp(name.data()), nullptr);
    root_ = name;
    box_dir_ = root_ / "box";
    scratch_dir_ = root_ / "scratch";
    fs::create_directory(box_dir_);
    fs::permissions(box_dir_, fs::perms(0755));  // The box's uid reads it during runs.
    fs::create_directory(scratch_dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }

  fs::path root_, box_dir_, scratch_dir_;
};

TEST_P(GoldenTest, GetsTheExpectedVerdict) {
  const GoldenCase& c = GetParam();
  ASSERT_EQ(::geteuid(), 0u) << "golden cases run the real sandbox: run them as root";
  ASSERT_LT(c.index, kMaxCases) << "more cases than test slots";

  std::vector<const GoldenLanguage*> languages = languages_of(c.dir);
  ASSERT_EQ(languages.size(), 1u) << c.dir << " must hold a language's source file";
  std::optional<Verdict> expected = domain::parse_verdict(trim(read_file(c.dir / "expected")));
  ASSERT_TRUE(expected.has_value()) << c.dir / "expected"
                                    << " is not a verdict";

  JudgeRequest request;
  request.language = languages[0]->spec;
  request.source = read_file(c.dir / request.language.source_file);
  request.entry_point = languages[0]->entry_point;
  request.tests = problem_tests();
  ASSERT_GE(request.tests.size(), 2u);
  request.limits = {testenv::scaled_ms(kTimeLimitMs), kMemoryLimitKib};
  request.box_dir = box_dir_;
  request.scratch_dir = scratch_dir_;

  judge::BoxRunner runner(
      sandbox::BoxConfig{JUDGE_BOX_PATH, kFirstSlot + c.index, "jt" + std::to_string(::getpid())});
  JudgeOutcome outcome;
  try {
    outcome = judge::judge_submission(runner, request);
  } catch (const std::exception& e) {
    FAIL() << "judging failed (would be JE): " << e.what();
  }

  EXPECT_EQ(outcome.verdict, *expected) << describe(outcome);
  switch (*expected) {
    case Verdict::AC:
      EXPECT_EQ(outcome.tests.size(), request.tests.size()) << describe(outcome);
      for (const auto& t : outcome.tests) EXPECT_EQ(t.verdict, Verdict::AC);
      EXPECT_TRUE(outcome.max_run_ms.has_value());
      EXPECT_LE(outcome.max_run_ms.value_or(0), testenv::scaled_ms(kTimeLimitMs));
      break;
    case Verdict::CE:
      EXPECT_FALSE(trim(outcome.compile_output).empty()) << "a CE must say why";
      EXPECT_TRUE(outcome.tests.empty());
      break;
    default:
      // Any other verdict comes from a test run, the last one that ran.
      ASSERT_FALSE(outcome.tests.empty());
      EXPECT_EQ(outcome.tests.back().verdict, *expected) << describe(outcome);
      break;
  }
}

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& row) { return row.param.name; }

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(find_cases()), case_name);

// The folder set itself: every language has an AC and a WA case; C, C++ and Python 3 (the
// sandbox's reference languages) have one for every verdict a submission can get. The other
// languages' TLE/MLE/RTE come from the same sandbox limits, so they would mostly add CI time.
TEST(GoldenCasesTest, EveryLanguageHasItsVerdicts) {
  std::map<std::string, std::set<std::string>> verdicts;
  for (const GoldenCase& c : find_cases()) {
    for (const GoldenLanguage* language : languages_of(c.dir))
      verdicts[language->spec.id].insert(trim(read_file(c.dir / "expected")));
  }
  const std::set<std::string> all = {"AC", "WA", "TLE", "MLE", "RTE", "CE"};
  const std::set<std::string> fully_covered = {"c", "cpp", "python3"};
  for (const GoldenLanguage& language : kLanguages) {
    const std::string& id = language.spec.id;
    for (const std::string& verdict : all) {
      if (!fully_covered.count(id) && verdict != "AC" && verdict != "WA") continue;
      EXPECT_TRUE(verdicts[id].count(verdict)) << "no " << id << " case expecting " << verdict;
    }
  }
}

}  // namespace
