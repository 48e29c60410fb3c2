// The hostile battery: programs that attack the sandbox, each with its expected outcome in its
// header (see program_header.h), run through the real judge-box (root), and host checks after
// every run. Programs live in programs/ as data; each one is one test case.
//
// Per run the test provides, on the host: a TCP listener on 127.0.0.1 (and ::1), an abstract
// unix socket, secrets in its own environment, a "secret test data" file next to the stdin file,
// a canary file in a directory of its own and, on request, a second box running concurrently
// with a secret in its work dir and bystander processes outside the box. Programs get the
// host paths and ports through argv placeholders and print "LEAK: ..." when they reach one.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "host_state.h"
#include "program_header.h"
#include "sandbox/sandbox.h"
#include "time_scale.h"

namespace sandbox {
void PrintTo(LimitHit limit, std::ostream* os) { *os << to_string(limit); }
}  // namespace sandbox

namespace hostile {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kBaseUid = 61000;       // judge-box's uid of slot 0.
constexpr int kFirstSlot = 800;       // Away from workers (0+) and sandbox_test (700+).
constexpr int kFirstOtherSlot = 900;  // The concurrent second box of "needs: other_box".
constexpr int kNobodyUid = 65534;
constexpr int64_t kRunSlackMs = 5000;  // Over the wall limit: helper start, cleanup, -j2 load.
constexpr int64_t kOtherBoxWallMs = 3000;
constexpr auto kOtherBoxStartDeadline = std::chrono::seconds(10);
constexpr const char* kSecretMarker = "hostile-secret";
constexpr const char* kPythonPath = "/usr/bin/python3";
constexpr int kDefaultPostgresPort = 5432;
constexpr int kDefaultRedisPort = 6379;

struct Program {
  int index = 0;  // In sorted order: gives the slot.
  fs::path path;
};

// Failure messages name the program, not 48 bytes of a struct.
void PrintTo(const Program& p, std::ostream* os) { *os << p.path.filename(); }

std::vector<Program> find_programs() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(HOSTILE_PROGRAMS_DIR)) {
    std::string ext = entry.path().extension();
    if (ext == ".c" || ext == ".cpp" || ext == ".py") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Program> programs;
  for (size_t i = 0; i < paths.size(); ++i) programs.push_back({static_cast<int>(i), paths[i]});
  return programs;
}

std::string test_name(const ::testing::TestParamInfo<Program>& info) {
  std::string name = info.param.path.filename();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

fs::path make_temp_dir(const std::string& prefix) {
  std::string templ = "/tmp/" + prefix + "-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp " + templ);
  // The box's uid must be able to enter the work dirs; the others must be unreachable anyway.
  fs::permissions(templ, fs::perms(0755));
  return templ;
}

// Port of a URL like postgres://user:pass@host:5432/db, or fallback.
int url_port(const char* url, int fallback) {
  if (url == nullptr) return fallback;
  std::string s = url;
  size_t host = s.rfind('@');
  host = host == std::string::npos ? s.find("//") : host;
  if (host == std::string::npos) return fallback;
  size_t colon = s.find(':', host);
  if (colon == std::string::npos) return fallback;
  int port = std::atoi(s.c_str() + colon + 1);
  return port > 0 ? port : fallback;
}

// A listening socket that the box must not reach. port() is 0 for a unix socket.
class Listener {
 public:
  Listener(int family) : fd_(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  bool listen_loopback_v4() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return bind_and_listen(reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  bool listen_loopback_v6() {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    return bind_and_listen(reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  bool listen_abstract(const std::string& name) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::copy(name.begin(), name.end(), a.sun_path + 1);  // sun_path[0] == 0: abstract.
    return bind_and_listen(
        reinterpret_cast<sockaddr*>(&a),
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size()));
  }
  int port() const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) return 0;
    if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&a)->sin_port);
    if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
    return 0;
  }

 private:
  bool bind_and_listen(sockaddr* a, socklen_t len) {
    return fd_ >= 0 && ::bind(fd_, a, len) == 0 && ::listen(fd_, 16) == 0;
  }
  int fd_;
};

// Processes outside the box (root and nobody) that kill(-1, ...) and friends must not reach.
class Bystanders {
 public:
  Bystanders() {
    for (int uid : {0, kNobodyUid}) {
      pid_t pid = ::fork();
      if (pid < 0) throw std::runtime_error("fork bystander");
      if (pid == 0) {
        if (uid != 0 && (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0)) {
          ::_exit(1);
        }
        for (;;) ::pause();
      }
      pids_.push_back(pid);
    }
  }
  ~Bystanders() {
    for (pid_t pid : pids_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  const std::vector<pid_t>& pids() const { return pids_; }

 private:
  std::vector<pid_t> pids_;
};

// Total size of the regular files below dir, without following symlinks.
uintmax_t tree_bytes(const fs::path& dir) {
  uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) total += it->file_size(ec);
  }
  return total;
}

std::string describe(const sandbox::RunResult& r) {
  std::ostringstream s;
  s << "exited=" << r.exited << " exit_code=" << r.exit_code << " signal=" << r.signal
    << " cpu_ms=" << r.cpu_ms << " wall_ms=" << r.wall_ms << " peak_kib=" << r.peak_memory_kib
    << " oom=" << r.oom_killed << " limit=" << sandbox::to_string(r.limit_hit)
    << " truncated=" << r.output_truncated;
  return s.str();
}

std::string head(const std::string& text, size_t kShown = 2000) {
  return text.size() <= kShown ? text : text.substr(0, kShown) + "...";
}

class HostileTest : public ::testing::TestWithParam<Program> {
 protected:
  void SetUp() override {
    // Secrets the box must never see: a worker holds exactly such variables.
    ::setenv("DATABASE_URL", "postgres://judge:hostile-secret-db@127.0.0.1:5432/judge", 1);
    ::setenv("REDIS_URL", "redis://:hostile-secret-redis@127.0.0.1:6379/0", 1);
    ::setenv("JUDGE_API_TOKEN", "hostile-secret-token", 1);
    slot_ = kFirstSlot + GetParam().index;
    tag_ = "hb" + std::to_string(::getpid());
    work_ = make_temp_dir("hostile-work");
    io_ = make_temp_dir("hostile-io");
    canary_dir_ = make_temp_dir("hostile-canary");
    canary_ = std::make_unique<Canary>(canary_dir_);
    write_file(io_ / "input.txt", "public input\n");
    write_file(io_ / "secret-answers.txt", "hostile-secret-answers 42\n");
    fs::permissions(io_ / "secret-answers.txt", fs::perms(0644));  // Only the mounts protect it.
    ASSERT_TRUE(tcp_.listen_loopback_v4());
    tcp6_.listen_loopback_v6();  // Optional: hosts without IPv6 just have no port 0 target.
    abstract_name_ = "hostile-" + tag_;
    ASSERT_TRUE(abstract_.listen_abstract(abstract_name_));
  }
  void TearDown() override {
    for (const fs::path& dir : {work_, io_, canary_dir_, other_dir_}) {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  }

  std::map<std::string, std::string> placeholders() const {
    return {
        {"{port}", std::to_string(tcp_.port())},
        {"{port6}", std::to_string(tcp6_.port())},
        {"{abstract}", abstract_name_},
        {"{pg}", std::to_string(url_port(std::getenv("TEST_DATABASE_URL"), kDefaultPostgresPort))},
        {"{redis}", std::to_string(url_port(std::getenv("TEST_REDIS_URL"), kDefaultRedisPort))},
        {"{secret}", io_ / "secret-answers.txt"},
        {"{io_dir}", io_},
        {"{work_dir}", work_},
        {"{canary}", canary_->file()},
        {"{canary_dir}", canary_dir_},
        {"{other_dir}", other_dir_},
        {"{other_secret}", other_dir_ / "secret.txt"},
        {"{other_uid}", std::to_string(kBaseUid + kFirstOtherSlot + GetParam().index)},
    };
  }

  std::vector<std::string> substituted(const std::vector<std::string>& args) const {
    auto map = placeholders();
    std::vector<std::string> out;
    for (std::string a : args) {
      for (const auto& [key, value] : map) {
        for (size_t at = a.find(key); at != std::string::npos; at = a.find(key, at + value.size()))
          a.replace(at, key.size(), value);
      }
      out.push_back(a);
    }
    return out;
  }

  // Compiles C/C++ on the host into the work dir (or copies Python); returns the argv prefix.
  std::vector<std::string> prepare(const fs::path& source) {
    std::string ext = source.extension();
    if (ext == ".py") {
      fs::copy_file(source, work_ / "prog.py");
      fs::permissions(work_ / "prog.py", fs::perms(0644));
      return {kPythonPath, "-S", "/box/prog.py"};
    }
    std::string compiler = ext == ".c" ? "gcc -std=gnu11" : "g++ -std=gnu++20";
    fs::path log = io_ / "compile.log";
    std::string cmd = compiler + " -O2 -static -pthread -o '" + (work_ / "prog").string() + "' '" +
                      source.string() + "' >'" + log.string() + "' 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      throw std::runtime_error("host compile failed: " + cmd + "\n" + read_file(log));
    }
    return {"/box/prog"};
  }

  sandbox::RunSpec spec(std::vector<std::string> argv, const ProgramHeader& h) const {
    sandbox::RunSpec s;
    s.argv = std::move(argv);
    s.work_dir = work_;
    // As the judge's compile step: /box writable, the work dir chowned to the box uid.
    if (h.needs.count("rw_workdir")) s.work_dir_access = sandbox::WorkDirAccess::ReadWrite;
    s.stdin_path = io_ / "input.txt";
    s.stdout_path = io_ / "stdout";
    s.stderr_path = io_ / "stderr";
    s.env = {"PATH=/usr/bin:/bin", "HOME=/box", "LANG=C.UTF-8"};
    s.limits = h.limits;
    return s;
  }

  // Starts a second box of another slot that sleeps with a secret in its work dir; returns once
  // its program runs, so that the hostile program can go looking for it.
  std::thread start_other_box(sandbox::RunResult& result, std::string& error) {
    other_dir_ = make_temp_dir("hostile-other");
    write_file(other_dir_ / "secret.txt", "hostile-secret-other-box\n");
    fs::permissions(other_dir_ / "secret.txt", fs::perms(0644));
    int other_slot = kFirstOtherSlot + GetParam().index;
    sandbox::RunSpec s;
    s.argv = {"sleep", "30"};
    s.work_dir = other_dir_;
    s.limits.wall_ms = kOtherBoxWallMs;
    std::thread t([this, s, other_slot, &result, &error] {
      try {
        result = sandbox::Box({JUDGE_BOX_PATH, other_slot, tag_}).run(s);
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    auto deadline = Clock::now() + kOtherBoxStartDeadline;
    while (processes_of_uid(kBaseUid + other_slot).empty() && Clock::now() < deadline) {
      std::this_thread::yield();
    }
    return t;
  }

  void check_expectation(const Expectation& e, const sandbox::RunResult& r) {
    std::string out = read_file(io_ / "stdout");
    std::string context =
        describe(r) + "\nstdout:\n" + head(out) + "\nstderr:\n" + head(read_file(io_ / "stderr"));
    SCOPED_TRACE(context);
    if (!e.exit_codes.empty()) {
      EXPECT_TRUE(r.exited && e.exit_codes.count(r.exit_code)) << "expected a normal exit";
    }
    if (!e.signals.empty()) {
      EXPECT_TRUE(!r.exited && e.signals.count(r.signal)) << "expected death by a signal";
    }
    if (!e.limits.empty()) {
      EXPECT_TRUE(e.limits.count(r.limit_hit)) << "unexpected limit_hit";
    }
    if (e.oom) {
      EXPECT_TRUE(r.oom_killed);
    }
    if (e.output_truncated) {
      EXPECT_TRUE(r.output_truncated);
    }
    for (const auto& marker : e.stdout_has) {
      EXPECT_NE(out.find(marker), std::string::npos) << "stdout lacks '" << marker << "'";
    }
    for (const auto& marker : e.stdout_lacks) {
      EXPECT_EQ(out.find(marker), std::string::npos) << "ISOLATION: stdout has '" << marker << "'";
    }
    if (e.workdir_max_kib >= 0) {
      EXPECT_LE(tree_bytes(work_), static_cast<uintmax_t>(e.workdir_max_kib) * 1024)
          << "the run filled the host's disk through its work dir";
    }
  }

  // Right after the run, while the slot's helper still lives: the box's processes are gone.
  void check_no_box_processes() {
    EXPECT_EQ(processes_of_uid(kBaseUid + slot_), std::vector<int>{}) << "stray box processes";
    if (!other_dir_.empty()) {
      EXPECT_EQ(processes_of_uid(kBaseUid + kFirstOtherSlot + GetParam().index),
                std::vector<int>{});
    }
  }

  // After the Box is gone: its cgroups, mounts and files are gone too, the host is unchanged.
  void check_host(const sandbox::Limits& limits, const std::string& mounts_before) {
    EXPECT_EQ(cgroups_named_like(tag_), std::vector<fs::path>{}) << "leftover cgroups";
    EXPECT_FALSE(fs::exists("/run/judge-box/" + tag_ + "-" + std::to_string(slot_)));
    EXPECT_EQ(read_file("/proc/self/mountinfo"), mounts_before) << "host mounts changed";
    EXPECT_EQ(canary_->changes(), "") << "canary outside the box changed";
    EXPECT_EQ(read_file(io_ / "secret-answers.txt"), "hostile-secret-answers 42\n");
    EXPECT_EQ(read_file(io_ / "input.txt"), "public input\n");
    uintmax_t out_limit = static_cast<uintmax_t>(limits.output_kib) * 1024;
    EXPECT_LE(fs::file_size(io_ / "stdout"), out_limit);
    EXPECT_LE(fs::file_size(io_ / "stderr"), out_limit);
    EXPECT_EQ(process_trouble(::getpid()), "");
    EXPECT_EQ(process_trouble(::getppid()), "") << "the test's parent";
  }

  int slot_ = kFirstSlot;
  std::string tag_;
  fs::path work_, io_, canary_dir_, other_dir_;
  std::unique_ptr<Canary> canary_;
  Listener tcp_{AF_INET};
  Listener tcp6_{AF_INET6};
  Listener abstract_{AF_UNIX};
  std::string abstract_name_;
};

TEST_P(HostileTest, RunsWithTheExpectedOutcomeAndLeavesTheHostAlone) {
  const Program& program = GetParam();
  ProgramHeader h;
  try {
    h = parse_header(read_file(program.path));
    h.limits.cpu_ms = testenv::scaled_ms(h.limits.cpu_ms);
    h.limits.wall_ms = testenv::scaled_ms(h.limits.wall_ms);
  } catch (const std::exception& e) {
    FAIL() << program.path << ": " << e.what();
  }
  if (h.known_hole) GTEST_SKIP() << "known hole: " << *h.known_hole;

  std::vector<std::string> argv = prepare(program.path);
  for (const auto& a : substituted(h.args)) argv.push_back(a);

  std::optional<Bystanders> bystanders;
  if (h.needs.count("bystander")) bystanders.emplace();
  sandbox::RunResult other_result;
  std::string other_error;
  std::thread other;
  if (h.needs.count("other_box")) other = start_other_box(other_result, other_error);
  std::string mounts_before = read_file("/proc/self/mountinfo");

  auto box = std::make_unique<sandbox::Box>(sandbox::BoxConfig{JUDGE_BOX_PATH, slot_, tag_});
  sandbox::RunResult r;
  try {
    // "rerun": the same slot runs the program twice, as for two submissions in a row; the first
    // run plants what it can, the second (the one the expectation is about) looks for it.
    if (h.needs.count("rerun")) {
      std::vector<std::string> plant = argv;
      plant.push_back("plant");
      sandbox::RunResult first = box->run(spec(plant, h));
      EXPECT_TRUE(first.exited && first.exit_code == 0) << "plant run: " << describe(first) << "\n"
                                                        << read_file(io_ / "stderr");
      argv.push_back("probe");
    }
  } catch (const sandbox::BoxError& e) {
    ADD_FAILURE() << "the sandbox failed instead of reporting facts: " << e.what();
  }
  auto start = Clock::now();
  try {
    r = box->run(spec(argv, h));
  } catch (const sandbox::BoxError& e) {
    ADD_FAILURE() << "the sandbox failed instead of reporting facts: " << e.what();
  }
  int64_t elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  if (other.joinable()) {
    other.join();
    EXPECT_EQ(other_error, "");
    EXPECT_EQ(other_result.limit_hit, sandbox::LimitHit::WallTime) << "the other box ran along";
  }

  // The facts of every run, also when it passes: `ctest -V` then shows what each attack did.
  std::cout << "facts: " << describe(r) << " host_ms=" << elapsed_ms
            << "\nstdout: " << head(read_file(io_ / "stdout"), 300) << std::endl;
  EXPECT_LT(elapsed_ms, h.limits.wall_ms + kRunSlackMs) << "the run did not end in time";
  check_expectation(h.expect, r);
  if (bystanders) {
    for (pid_t pid : bystanders->pids()) {
      EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), 0) << "bystander " << pid << " died";
      EXPECT_EQ(process_trouble(pid), "") << "bystander " << pid;
    }
  }
  check_no_box_processes();
  box.reset();
  check_host(h.limits, mounts_before);
}

INSTANTIATE_TEST_SUITE_P(Programs, HostileTest, ::testing::ValuesIn(find_programs()), test_name);

// The header format itself, so that a typo in a program cannot silently weaken its test.
TEST(HostileHeader, ParsesExpectLimitsArgsAndNeeds) {
  ProgramHeader h = parse_header(
      "// prose\n// expect: signal=9|11 limit=memory|none oom stdout_lacks=LEAK\n"
      "// limits: mem_kib=65536 wall_ms=2000 procs=32\n// args: {port} x\n// needs: bystander\n"
      "int main() {}\n// expect: exit=3\n");
  EXPECT_EQ(h.expect.signals, (std::set<int>{9, 11}));
  EXPECT_TRUE(h.expect.exit_codes.empty()) << "only the leading comment block is the header";
  EXPECT_EQ(h.expect.limits.size(), 2u);
  EXPECT_TRUE(h.expect.oom);
  EXPECT_EQ(h.expect.stdout_lacks, std::vector<std::string>{"LEAK"});
  EXPECT_EQ(h.limits.memory_kib, 65536);
  EXPECT_EQ(h.limits.wall_ms, 2000);
  EXPECT_EQ(h.limits.processes, 32);
  EXPECT_EQ(h.limits.cpu_ms, battery_default_limits().cpu_ms);
  EXPECT_EQ(h.args, (std::vector<std::string>{"{port}", "x"}));
  EXPECT_TRUE(h.needs.count("bystander"));
  EXPECT_FALSE(h.known_hole);
}

TEST(HostileHeader, RejectsTyposAndMissingOutcome) {
  EXPECT_THROW(parse_header("// expect: exitt=0\n"), std::invalid_argument);
  EXPECT_THROW(parse_header("// expect: limit=ram\n"), std::invalid_argument);
  EXPECT_THROW(parse_header("// expect: stdout_has=x\n"), std::invalid_argument);
  EXPECT_THROW(parse_header("// limits: memory=1\n// expect: exit=0\n"), std::invalid_argument);
  EXPECT_THROW(parse_header("int main() {}\n"), std::invalid_argument);
  EXPECT_EQ(parse_header("#!/usr/bin/python3\n# expect: exit=0\n# known-hole: why\n").known_hole,
            "why");
}

}  // namespace
}  // namespace hostile
