// Custom output validators and interactive problems through the real sandbox (needs root, as
// golden_test). Submissions are Python (nothing to compile); validators are C, compiled in the
// sandbox like in production. Each test uses its own two sandbox slots (500-559) so that tests
// running in parallel never share a box.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "files.h"
#include "judge/boxes.h"
#include "judge/judge.h"
#include "judge/output_validator.h"

namespace {

namespace fs = std::filesystem;
using judge::JudgeOutcome;
using judge::Verdict;

constexpr int kFirstSlot = 500;
constexpr int64_t kTimeLimitMs = 1000;

const judge::LanguageSpec kC = {"c",
                                "main.c",
                                {"/usr/bin/gcc", "-x", "c", "-std=gnu17", "-O2", "-pipe", "-static",
                                 "-o", "main", "main.c", "-lm"},
                                {"./main"}};
const judge::LanguageSpec kPython = {"python3",
                                     "main.py",
                                     {"/usr/bin/python3", "-m", "py_compile", "main.py"},
                                     {"/usr/bin/python3", "-S", "main.py"}};

// Accepts a number within 1 of the answer; explains a rejection in judgemessage.txt.
const char* kRangeValidator = R"(
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char** argv) {
  if (argc < 4) return 1;
  FILE* ans = fopen(argv[2], "r");
  long want = 0, got = 0;
  if (!ans || fscanf(ans, "%ld", &want) != 1) return 2;
  char path[4096];
  snprintf(path, sizeof path, "%sjudgemessage.txt", argv[3]);
  FILE* msg = fopen(path, "w");
  if (!msg) return 3;
  if (scanf("%ld", &got) != 1) { fprintf(msg, "no number\n"); return 43; }
  if (labs(got - want) > 1) { fprintf(msg, "expected %ld give or take 1, got %ld\n", want, got); return 43; }
  if (argc > 4 && strcmp(argv[4], "strict") == 0 && got != want) { fprintf(msg, "strict\n"); return 43; }
  fprintf(msg, "ok\n");
  return 42;
}
)";

// Guess the number in the input file (1..1000): answers "lower", "higher" or "correct".
const char* kGuessValidator = R"(
#include <stdio.h>
int main(int argc, char** argv) {
  FILE* in = fopen(argv[1], "r");
  int secret = 0, guess = 0;
  if (!in || fscanf(in, "%d", &secret) != 1) return 2;
  char path[4096];
  snprintf(path, sizeof path, "%sjudgemessage.txt", argv[3]);
  FILE* msg = fopen(path, "w");
  for (int round = 0; round < 20; ++round) {
    if (scanf("%d", &guess) != 1) { fprintf(msg, "no guess in round %d\n", round); return 43; }
    if (guess < 1 || guess > 1000) { fprintf(msg, "guess %d out of range\n", guess); return 43; }
    if (guess == secret) { printf("correct\n"); fflush(stdout); return 42; }
    printf(guess < secret ? "higher\n" : "lower\n");
    fflush(stdout);
  }
  fprintf(msg, "too many guesses\n");
  return 43;
}
)";

const char* kBinarySearch = R"(
lo, hi = 1, 1000
while True:
    mid = (lo + hi) // 2
    print(mid, flush=True)
    reply = input().strip()
    if reply == "correct":
        break
    if reply == "higher":
        lo = mid + 1
    else:
        hi = mid - 1
)";

class ValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "these tests run the real sandbox: run them as root";
    std::string name = "/tmp/judge-validator-XXXXXX";
    ASSERT_NE(::mkdtemp(name.data()), nullptr);
    root_ = name;
    for (const char* dir : {"box", "scratch", "data"}) fs::create_directory(root_ / dir);
    fs::permissions(root_ / "box", fs::perms(0755));
  }
  void TearDown() override {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }

  // Judges `submission` (Python) on one test (input, answer) with a C validator.
  JudgeOutcome judge(int slot_index, const std::string& validator, const std::string& submission,
                     const std::string& input, const std::string& answer, bool interactive,
                     std::vector<std::string> flags = {},
                     const judge::LanguageSpec& validator_language = kC) {
    testenv::write_file(root_ / "data/1.in", input);
    testenv::write_file(root_ / "data/1.ans", answer);
    judge::JudgeRequest request;
    request.language = kPython;
    request.source = submission;
    request.tests = {{1, root_ / "data/1.in", root_ / "data/1.ans"}};
    request.limits = {kTimeLimitMs, 256 * 1024};
    request.box_dir = root_ / "box";
    request.scratch_dir = root_ / "scratch";
    judge::ValidatorProgram v;
    v.language = validator_language;
    v.files = {{validator_language.source_file, validator}};
    v.flags = std::move(flags);
    v.interactive = interactive;
    v.box_dir = root_ / "validator";
    request.validator = v;
    const std::string tag = "vt" + std::to_string(::getpid());
    judge::BoxRunner runner(sandbox::BoxConfig{JUDGE_BOX_PATH, kFirstSlot + 2 * slot_index, tag});
    judge::BoxRunner validator_runner(
        sandbox::BoxConfig{JUDGE_BOX_PATH, kFirstSlot + 2 * slot_index + 1, tag});
    request.validator_runner = &validator_runner;
    return judge::judge_submission(runner, request);
  }

  static std::string describe(const JudgeOutcome& o) {
    std::string out = std::string("verdict ") + domain::to_string(o.verdict) + "\n" +
                      o.compile_output + o.validator_error;
    for (const auto& t : o.tests)
      out += std::string("test: ") + domain::to_string(t.verdict) + " cpu " +
             std::to_string(t.cpu_ms) + " wall " + std::to_string(t.wall_ms) + ": " + t.message +
             " | " + t.judge_message + "\n";
    return out;
  }

  fs::path root_;
};

TEST_F(ValidatorTest, OutputValidatorAccepts) {
  auto o = judge(0, kRangeValidator, "print(41)\n", "", "42\n", false);
  EXPECT_EQ(o.verdict, Verdict::AC) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_EQ(o.tests[0].judge_message, "ok\n");
}

TEST_F(ValidatorTest, OutputValidatorRejectsAndKeepsJudgeMessage) {
  auto o = judge(1, kRangeValidator, "print(45)\n", "", "42\n", false);
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_EQ(o.tests[0].judge_message, "expected 42 give or take 1, got 45\n");
}

// A Python validator (nothing to compile): same arguments, stdin and feedback dir.
TEST_F(ValidatorTest, PythonValidator) {
  const char* validator =
      "import sys\n"
      "want = open(sys.argv[2]).read().split()\n"
      "got = sys.stdin.read().split()\n"
      "open(sys.argv[3] + 'judgemessage.txt', 'w').write('got %s\\n' % got)\n"
      "sys.exit(42 if sorted(got) == sorted(want) else 43)\n";
  auto o = judge(15, validator, "print('b a')\n", "", "a b\n", false, {}, kPython);
  EXPECT_EQ(o.verdict, Verdict::AC) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_EQ(o.tests[0].judge_message, "got ['b', 'a']\n");
  o = judge(16, validator, "print('a c')\n", "", "a b\n", false, {}, kPython);
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
}

TEST_F(ValidatorTest, ValidatorFlagsArePassed) {
  auto o = judge(2, kRangeValidator, "print(41)\n", "", "42\n", false, {"strict"});
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
}

TEST_F(ValidatorTest, ValidatorCrashIsJudgeError) {
  auto o = judge(3, "#include <stdlib.h>\nint main(void) { abort(); }\n", "print(1)\n", "", "1\n",
                 false);
  EXPECT_EQ(o.verdict, Verdict::JE) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_NE(o.tests[0].message.find("signal"), std::string::npos) << describe(o);
}

TEST_F(ValidatorTest, ValidatorExitZeroIsJudgeError) {
  auto o = judge(4, "int main(void) { return 0; }\n", "print(1)\n", "", "1\n", false);
  EXPECT_EQ(o.verdict, Verdict::JE) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_NE(o.tests[0].message.find("code 0"), std::string::npos) << describe(o);
}

TEST_F(ValidatorTest, ValidatorCompileErrorIsJudgeError) {
  auto o = judge(5, "int main(void) { syntax error }\n", "print(1)\n", "", "1\n", false);
  EXPECT_EQ(o.verdict, Verdict::JE) << describe(o);
  EXPECT_TRUE(o.tests.empty());
  EXPECT_NE(o.validator_error.find("does not compile"), std::string::npos) << describe(o);
}

// The validator would crash (JE) if it ran: TLE proves it did not.
TEST_F(ValidatorTest, SubmissionTimeLimitStaysTleAndSkipsTheValidator) {
  auto o = judge(6, "#include <stdlib.h>\nint main(void) { abort(); }\n", "while True:\n  pass\n",
                 "", "1\n", false);
  EXPECT_EQ(o.verdict, Verdict::TLE) << describe(o);
}

TEST_F(ValidatorTest, InteractiveAccepts) {
  auto o = judge(7, kGuessValidator, kBinarySearch, "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::AC) << describe(o);
}

TEST_F(ValidatorTest, InteractiveWrongAnswer) {
  auto o = judge(8, kGuessValidator, "while True:\n  print(1, flush=True)\n  input()\n", "737\n",
                 "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_EQ(o.tests[0].judge_message, "too many guesses\n");
}

// Box cgroups of this process's tag anywhere in the cgroup tree (v1 or v2).
std::vector<std::string> cgroups_of_tag(const std::string& tag) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator("/sys/fs/cgroup", ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it.depth() > 4) it.disable_recursion_pending();
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && name.rfind("judge-box-" + tag + "-", 0) == 0) {
      found.push_back(it->path().string());
      it.disable_recursion_pending();
    }
  }
  return found;
}

// The validator's box runs on a thread of its own for the length of one test; its helper must
// not die with that thread (a helper killed that way cleans nothing up, and the next test would
// start a new one): once the judging is over, nothing of either box is left.
TEST_F(ValidatorTest, InteractiveJudgingLeavesNoCgroupBehind) {
  auto o = judge(17, kGuessValidator, kBinarySearch, "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::AC) << describe(o);
  EXPECT_EQ(cgroups_of_tag("vt" + std::to_string(::getpid())), std::vector<std::string>{});
}

// The validator rejects first; the submission then sees EOF and fails: the rejection wins.
TEST_F(ValidatorTest, InteractiveRejectionWinsOverALaterCrash) {
  const char* sub =
      "import sys, time\nprint(0, flush=True)\nsys.stdin.readline()\ntime.sleep(0.5)\n"
      "sys.exit(3)\n";
  auto o = judge(9, kGuessValidator, sub, "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
}

// Neither reads nor writes: killed at the wall limit, no deadlock, and TLE (not the validator's
// WA, which only reacts to the EOF).
TEST_F(ValidatorTest, InteractiveHangIsTimeLimit) {
  auto o = judge(10, kGuessValidator, "import time\ntime.sleep(100)\n", "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::TLE) << describe(o);
}

// Exits at once without a guess: the validator sees EOF and rejects.
TEST_F(ValidatorTest, InteractiveNoOutputIsWrongAnswer) {
  auto o = judge(11, kGuessValidator, "pass\n", "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
  ASSERT_EQ(o.tests.size(), 1u);
  EXPECT_EQ(o.tests[0].judge_message, "no guess in round 0\n");
}

// The submission crashes first: its own failure decides (the validator only saw EOF).
TEST_F(ValidatorTest, InteractiveSubmissionCrashIsRuntimeError) {
  auto o = judge(12, kGuessValidator, "import sys\nsys.exit(3)\n", "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::RTE) << describe(o);
}

TEST_F(ValidatorTest, InteractiveValidatorCrashIsJudgeError) {
  auto o = judge(13, "#include <stdlib.h>\nint main(void) { abort(); }\n", kBinarySearch, "737\n",
                 "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::JE) << describe(o);
}

// The submission floods guesses and never reads the replies: the validator rejects after 20
// guesses and exits first; the submission then dies of EPIPE. No deadlock, and WA.
TEST_F(ValidatorTest, InteractiveFloodDoesNotDeadlock) {
  auto o =
      judge(14, kGuessValidator, "while True:\n  print(1, flush=True)\n", "737\n", "737\n", true);
  EXPECT_EQ(o.verdict, Verdict::WA) << describe(o);
}

}  // namespace
