// sandbox::Box: keeps a `judge-box --serve` helper per Box (see helper/judge_box_main.cc), sends
// it one JSON line per run and turns the answer into a RunResult or a BoxError.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "sandbox/sandbox.h"

namespace sandbox {
namespace {

namespace bp = boost::process;

struct Fd_pair {
  int read;
  int write;
};

// How long ~Box waits for the helper to clean up (cgroups drain) before killing it.
constexpr int kStopTimeoutMs = 10000;

// The run's options for the helper; the slot and tag are the server's.
std::vector<std::string> request_args(const RunSpec& spec) {
  const Limits& l = spec.limits;
  std::vector<std::string> args = {
      "--cpu-ms",     std::to_string(l.cpu_ms),
      "--wall-ms",    std::to_string(l.wall_ms),
      "--mem-kib",    std::to_string(l.memory_kib),
      "--procs",      std::to_string(l.processes),
      "--out-kib",    std::to_string(l.output_kib),
      "--open-files", std::to_string(l.open_files),
      "--work-dir",   spec.work_dir,
  };
  if (spec.work_dir_access == WorkDirAccess::ReadWrite) args.emplace_back("--rw");
  auto add = [&args](const char* option, const std::string& value) {
    if (value.empty()) return;
    args.emplace_back(option);
    args.push_back(value);
  };
  add("--stdin", spec.stdin_path);
  add("--stdout", spec.stdout_path);
  add("--stderr", spec.stderr_path);
  for (const auto& kv : spec.env) add("--env", kv);
  args.emplace_back("--");
  args.insert(args.end(), spec.argv.begin(), spec.argv.end());
  return args;
}

LimitHit parse_limit(const std::string& name) {
  static const std::pair<const char*, LimitHit> kNames[] = {
      {"none", LimitHit::None},     {"cpu", LimitHit::CpuTime},
      {"wall", LimitHit::WallTime}, {"memory", LimitHit::Memory},
      {"output", LimitHit::Output}, {"processes", LimitHit::Processes},
  };
  for (const auto& [text, value] : kNames) {
    if (name == text) return value;
  }
  throw BoxError("judge-box: unknown limit_hit '" + name + "'");
}

RunResult parse_facts(const std::string& out) {
  try {
    auto j = nlohmann::json::parse(out);
    RunResult r;
    r.exited = j.at("exited").get<bool>();
    r.exit_code = j.at("exit_code").get<int>();
    r.signal = j.at("signal").get<int>();
    r.cpu_ms = j.at("cpu_ms").get<int64_t>();
    r.wall_ms = j.at("wall_ms").get<int64_t>();
    r.peak_memory_kib = j.at("peak_memory_kib").get<int64_t>();
    r.oom_killed = j.at("oom_killed").get<bool>();
    r.limit_hit = parse_limit(j.at("limit_hit").get<std::string>());
    r.output_truncated = j.at("output_truncated").get<bool>();
    r.end_us = j.value("end_us", int64_t{0});
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw BoxError(std::string("judge-box: bad facts line: ") + e.what() + ": " + out);
  }
}

RunResult parse_answer(const std::string& line) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    throw BoxError(std::string("judge-box: bad answer line: ") + e.what() + ": " + line);
  }
  if (j.contains("error"))
    throw BoxError(j["error"].is_string() ? j["error"].get<std::string>() : line);
  return parse_facts(line);
}

// The helper's slot broke (e.g. its zygote died) and it exits after this answer.
bool wants_retry(const std::string& line) {
  try {
    auto j = nlohmann::json::parse(line);
    return j.contains("retry") && j["retry"].is_boolean() && j["retry"].get<bool>();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// Writes data without dying of SIGPIPE when the helper is gone (a library must not change the
// process's signal dispositions): SIGPIPE is blocked in this thread and a pending one consumed.
bool write_all(int fd, const std::string& data) {
  sigset_t pipe_set;
  sigset_t old_mask;
  sigset_t pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  size_t done = 0;
  bool ok = true;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      if (errno == EPIPE && !was_pending) {
        timespec zero{};
        while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
        }
      }
      break;
    }
    done += static_cast<size_t>(n);
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return ok;
}

// The "cgroup" of the helper's ready line; "" when absent (a helper that does not say).
std::string parse_cgroup_version(const std::string& ready) {
  try {
    auto j = nlohmann::json::parse(ready);
    if (j.contains("cgroup") && j["cgroup"].is_string()) return j["cgroup"].get<std::string>();
  } catch (const nlohmann::json::exception&) {
    // Not JSON after all: the version stays unknown; the first run fails on its answer anyway.
  }
  return "";
}

Fd_pair cloexec_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw BoxError(std::string("pipe: ") + std::strerror(errno));
  return {fds[0], fds[1]};
}

}  // namespace

// One running `judge-box --serve`: the pipes to its stdin and from its stdout.
class Box::Server {
 public:
  explicit Server(const BoxConfig& config) {
    // Close-on-exec pipes (Boost.Process's own are not): helpers that other threads start at
    // the same time must not inherit them. The helper also closes stray fds first thing.
    Fd_pair in = cloexec_pipe();
    Fd_pair out = cloexec_pipe();
    bp::pipe to_child(in.read, in.write);
    bp::pipe from_child(out.read, out.write);
    std::error_code launch_error;
    child_ = bp::child(
        bp::exe = config.helper_path,
        bp::args = {"--serve", "--slot", std::to_string(config.slot), "--tag", config.tag},
        bp::std_in<to_child, bp::std_out> from_child, launch_error);
    to_ = to_child.native_sink();
    to_child.assign_sink(-1);
    from_ = from_child.native_source();
    from_child.assign_source(-1);
    if (launch_error) {
      close_fds();
      throw BoxError("launch " + config.helper_path + ": " + launch_error.message());
    }
    std::optional<std::string> ready = read_line();
    if (!ready) throw BoxError("judge-box --serve: " + stop());
    if (ready->find("\"ready\"") == std::string::npos) {
      stop();
      parse_answer(*ready);  // Throws the helper's error.
      throw BoxError("judge-box --serve: unexpected first line: " + *ready);
    }
    cgroup_version_ = parse_cgroup_version(*ready);
  }
  ~Server() { stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  bool alive() {
    std::error_code ec;
    return child_.valid() && child_.running(ec) && !ec;
  }
  int pid() const { return child_.valid() ? child_.id() : -1; }
  const std::string& cgroup_version() const { return cgroup_version_; }

  // One request, one answer line; nullopt when the helper is gone.
  std::optional<std::string> exchange(const std::string& request) {
    if (!write_all(to_, request)) return std::nullopt;
    return read_line();
  }

  // Closes the helper's stdin (it cleans up and exits), waits for it, kills it if it hangs.
  // Returns how it ended, for error messages.
  std::string stop() {
    if (!child_.valid()) return "not running";
    if (to_ >= 0) ::close(to_);
    to_ = -1;
    wait_for_eof(kStopTimeoutMs);
    close_fds();
    std::error_code ignored;
    if (child_.running(ignored)) child_.terminate(ignored);
    child_.wait(ignored);
    int status = child_.native_exit_code();
    child_ = bp::child();
    if (WIFSIGNALED(status)) return "helper killed by signal " + std::to_string(WTERMSIG(status));
    return "helper exited " + std::to_string(WEXITSTATUS(status));
  }

 private:
  std::optional<std::string> read_line() {
    for (;;) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      char chunk[4096];
      ssize_t n = ::read(from_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  void wait_for_eof(int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    char chunk[4096];
    while (from_ >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      pollfd p{from_, POLLIN, 0};
      int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return;
      ssize_t n = ::read(from_, chunk, sizeof chunk);
      if (n == 0 || (n < 0 && errno != EINTR)) return;
    }
  }

  void close_fds() {
    for (int* fd : {&to_, &from_}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }

  bp::child child_;
  int to_ = -1;
  int from_ = -1;
  std::string buffer_;
  std::string cgroup_version_;
};

Box::Box(BoxConfig config) : config_(std::move(config)) {}
Box::~Box() = default;
Box::Box(Box&& other) noexcept = default;
Box& Box::operator=(Box&& other) noexcept = default;

int Box::helper_pid() const { return server_ ? server_->pid() : -1; }

void Box::start() {
  if (server_ && !server_->alive()) server_.reset();
  if (server_) return;
  server_ = std::make_unique<Server>(config_);
  cgroup_version_ = server_->cgroup_version();
}

RunResult Box::run(const RunSpec& spec) {
  if (spec.argv.empty()) throw BoxError("Box::run: empty argv");
  std::string request = nlohmann::json{{"args", request_args(spec)}}.dump() + "\n";
  // A helper that died since the last run (or dies before answering, or whose slot broke) is
  // replaced once: a run has no effects that a second try would duplicate harmfully.
  for (int attempt = 0;; ++attempt) {
    start();
    std::optional<std::string> answer = server_->exchange(request);
    if (answer && (attempt >= 1 || !wants_retry(*answer))) return parse_answer(*answer);
    std::string how = server_->stop();
    server_.reset();
    if (attempt >= 1) throw BoxError("judge-box --serve died during a run: " + how);
  }
}

const char* to_string(LimitHit limit) {
  switch (limit) {
    case LimitHit::None:
      return "none";
    case LimitHit::CpuTime:
      return "cpu";
    case LimitHit::WallTime:
      return "wall";
    case LimitHit::Memory:
      return "memory";
    case LimitHit::Output:
      return "output";
    case LimitHit::Processes:
      return "processes";
  }
  return "unknown";
}

}  // namespace sandbox
