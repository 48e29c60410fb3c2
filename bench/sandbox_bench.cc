// sandbox_bench: what the sandbox adds to one run of a trivial program.
//
// Compiles `int main(){return 0;}` with gcc -static into a temp dir, then runs it N times bare
// (posix_spawn + waitpid) and N times through sandbox::Box::run (the judge's path), interleaved
// so that both see the same machine state; then a pass where each sandboxed run follows an idle
// gap (cgroup v1 attaches after idle wait for an RCU grace period). Prints a markdown table
// that can be pasted into the README.
//
//   sandbox_bench [--runs N] [--idle-runs N] [--idle-ms MS] [--slot S] [--helper PATH] [--smoke]
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "sandbox/sandbox.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  int runs = 200;      // Runs of each kind in the main pass.
  int idle_runs = 20;  // Sandboxed runs, each after an idle gap.
  int idle_ms = 300;   // The idle gap.
  int slot = 990;      // Box slot (away from workers' and tests' slots).
  std::string helper = JUDGE_BOX_PATH;
  bool smoke = false;  // A few runs; fails only if a run fails.
};

Config parse(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + ": missing value");
      return argv[++i];
    };
    if (a == "--runs")
      c.runs = std::stoi(value());
    else if (a == "--idle-runs")
      c.idle_runs = std::stoi(value());
    else if (a == "--idle-ms")
      c.idle_ms = std::stoi(value());
    else if (a == "--slot")
      c.slot = std::stoi(value());
    else if (a == "--helper")
      c.helper = value();
    else if (a == "--smoke")
      c.smoke = true;
    else
      throw std::runtime_error("unknown option " + a);
  }
  if (c.smoke) {
    c.runs = 10;
    c.idle_runs = 2;
    c.idle_ms = 50;
    c.slot = 991;
  }
  if (c.runs < 1 || c.idle_runs < 0) throw std::runtime_error("--runs must be >= 1");
  return c;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double bare_run(const std::string& path) {
  auto start = Clock::now();
  pid_t pid = 0;
  char* args[] = {const_cast<char*>(path.c_str()), nullptr};
  if (::posix_spawn(&pid, path.c_str(), nullptr, nullptr, args, environ) != 0)
    throw std::runtime_error("posix_spawn " + path);
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("bare run failed");
  return ms_since(start);
}

double box_run(sandbox::Box& box, const sandbox::RunSpec& spec) {
  auto start = Clock::now();
  sandbox::RunResult r = box.run(spec);
  double ms = ms_since(start);
  if (!r.exited || r.exit_code != 0) {
    throw std::runtime_error("sandboxed run failed: signal " + std::to_string(r.signal) +
                             ", limit " + sandbox::to_string(r.limit_hit));
  }
  return ms;
}

struct Stats {
  double median = 0;
  double p95 = 0;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))]; };
  return {at(0.5), at(0.95)};
}

std::string compile_true(const fs::path& dir) {
  fs::path src = dir / "true.c";
  std::ofstream(src) << "int main(void) { return 0; }\n";
  std::string bin = (dir / "true").string();
  std::string cmd = "gcc -static -O2 -o '" + bin + "' '" + src.string() + "'";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  fs::remove(src);
  return bin;
}

int run(const Config& c) {
  char tmpl[] = "/tmp/sandbox-bench-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
  fs::path dir = tmpl;
  fs::permissions(dir, fs::perms(0755));
  struct Cleanup {
    fs::path d;
    ~Cleanup() { fs::remove_all(d); }
  } cleanup{dir};
  std::string bin = compile_true(dir);

  sandbox::Box box(sandbox::BoxConfig{c.helper, c.slot, "bench"});
  sandbox::RunSpec spec;
  spec.argv = {"/box/true"};
  spec.work_dir = dir.string();
  box_run(box, spec);  // Starts the helper: a one-time cost, reported separately.
  bare_run(bin);

  std::vector<double> bare;
  std::vector<double> boxed;
  std::vector<double> idle;
  std::vector<double> bare_idle;
  auto first = Clock::now();
  for (int i = 0; i < c.runs; ++i) {
    bare.push_back(bare_run(bin));
    boxed.push_back(box_run(box, spec));
    if ((i + 1) % 50 == 0 || i + 1 == c.runs)
      std::fprintf(stderr, "\r%d/%d runs (%.1f s)", i + 1, c.runs, ms_since(first) / 1000);
  }
  std::fprintf(stderr, "\n");
  for (int i = 0; i < c.idle_runs; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(c.idle_ms));
    idle.push_back(box_run(box, spec));
    std::this_thread::sleep_for(std::chrono::milliseconds(c.idle_ms));
    bare_idle.push_back(bare_run(bin));
  }

  Stats b = stats(bare);
  Stats s = stats(boxed);
  std::printf(
      "| date | machine | N | bare median | bare p95 | sandboxed median | sandboxed p95 |"
      " ratio | added per run | after %d ms idle (N=%d), sandboxed / bare: median, p95 |\n",
      c.idle_ms, c.idle_runs);
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  std::string idle_cell = "-";
  if (!idle.empty()) {
    Stats i = stats(idle);
    Stats bi = stats(bare_idle);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.2f / %.2f ms, %.2f / %.2f ms", i.median, bi.median, i.p95,
                  bi.p95);
    idle_cell = buf;
  }
  std::printf("| %s | %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1fx | %.2f ms | %s |\n",
              bench::today().c_str(), bench::machine().c_str(), c.runs, b.median, b.p95, s.median, s.p95,
              s.median / b.median, s.median - b.median, idle_cell.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sandbox_bench: %s\n", e.what());
    return 1;
  }
}
