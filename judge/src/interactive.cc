// Interactive problems: the submission and the validator run at the same time, each in its own
// box (own uid, cgroup and limits), joined by two FIFOs: submission stdout -> validator stdin,
// validator stdout -> submission stdin. Only the two programs hold the FIFO ends, so when one
// side exits the other sees EOF (or EPIPE) instead of waiting forever.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "judge/output_validator.h"
#include "judge_internal.h"

namespace judge::detail {
namespace {

void make_fifo(const std::string& path) {
  std::filesystem::remove(path);
  if (::mkfifo(path.c_str(), 0600) != 0)
    throw std::system_error(errno, std::generic_category(), "mkfifo " + path);
}

// When one side failed to start, it may never open its FIFO ends, and the other side's helper
// would wait in open() forever: these fds satisfy that open (the other side then ends by its
// own time limit).
class FifoUnblocker {
 public:
  void open(const std::string& a, const std::string& b) {
    fds_[0] = ::open(a.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    fds_[1] = ::open(b.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  }
  ~FifoUnblocker() {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
  }

 private:
  int fds_[2] = {-1, -1};
};

// As the Kattis tools decide: a validator failure is JE; its rejection wins when it ended before
// the submission (otherwise it most likely reacted to the submission's death, which decides);
// after an acceptance the submission's own run decides (TLE, RTE, ... or AC).
Verdict interactive_verdict(const sandbox::RunResult& sub, const ValidatorVerdict& v,
                            const sandbox::RunResult& validator, const RunLimits& limits) {
  if (!v.accepted) return Verdict::JE;
  const bool validator_first = validator.end_us < sub.end_us;
  if (!*v.accepted && validator_first) return Verdict::WA;
  return classify_run(sub, limits, v.accepted);
}

}  // namespace

TestResult run_interactive_test(Runner& runner, const JudgeRequest& request, const TestFile& test,
                                int ordinal) {
  if (!request.validator_runner) throw std::logic_error("interactive judging needs a second box");
  const std::string to_submission = request.scratch_dir + "/to-submission.fifo";
  const std::string to_validator = request.scratch_dir + "/to-validator.fifo";
  make_fifo(to_submission);
  make_fifo(to_validator);

  sandbox::RunSpec sub_spec = test_run_spec(request, test);
  sub_spec.stdin_path = to_submission;
  sub_spec.stdout_path = to_validator;
  sandbox::RunSpec val_spec = validator_run_spec(request, prepare_validator_run(request, test));
  val_spec.stdin_path = to_validator;
  val_spec.stdout_path = to_submission;

  // The validator runs on its own thread for this test only: its box's helper is started here,
  // on the judging thread, so it outlives that thread (and is reused for the next test).
  request.validator_runner->start();
  FifoUnblocker unblocker;
  sandbox::RunResult val_facts;
  std::exception_ptr val_error;
  std::thread validator([&] {
    try {
      val_facts = request.validator_runner->run(val_spec);
    } catch (...) {
      val_error = std::current_exception();
      unblocker.open(to_submission, to_validator);
    }
  });
  sandbox::RunResult sub_facts;
  std::exception_ptr sub_error;
  try {
    sub_facts = runner.run(sub_spec);
  } catch (...) {
    sub_error = std::current_exception();
  }
  if (sub_error) {
    FifoUnblocker late;  // The validator may still wait for the submission's ends.
    late.open(to_submission, to_validator);
    validator.join();
  } else {
    validator.join();
  }
  if (sub_error) std::rethrow_exception(sub_error);
  if (val_error) std::rethrow_exception(val_error);

  ValidatorVerdict v = validator_verdict(val_facts, val_spec);
  TestResult result{test.id,          ordinal,           Verdict::JE,
                    sub_facts.cpu_ms, sub_facts.wall_ms, sub_facts.peak_memory_kib,
                    v.message,        v.judge_message};
  result.verdict = interactive_verdict(sub_facts, v, val_facts, request.limits);
  if (v.accepted && result.verdict != Verdict::AC && result.verdict != Verdict::WA) {
    if (!sub_facts.exited)
      result.message = "killed by signal " + std::to_string(sub_facts.signal) + "; " + v.message;
    else if (sub_facts.exit_code != 0)
      result.message = "exit code " + std::to_string(sub_facts.exit_code) + "; " + v.message;
  }
  return result;
}

}  // namespace judge::detail
