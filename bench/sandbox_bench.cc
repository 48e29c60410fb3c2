// sandbox_bench: what the sandbox adds to one run of a trivial program.
//
// Compiles `int main(){return 0;}` with gcc -static into a temp dir, then runs it N times bare
// (posix_spawn + waitpid) and N times through sandbox::Box::run (the judge's path), interleaved
// so that both see the same machine state; then a pass where each sandboxed run follows an idle
// gap (cgroup v1 attaches after idle wait for an RCU grace period), and N sandboxed runs back to
// back for runs per second. Reports bench::Row rows (benchmark "sandbox").
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
using bench::Clock;
using bench::ms_since;

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
  for (bench::Args args(argc, argv, "sandbox_bench.cc"); args.next();) {
    if (args.is("--runs"))
      c.runs = args.number();
    else if (args.is("--idle-runs"))
      c.idle_runs = args.number();
    else if (args.is("--idle-ms"))
      c.idle_ms = args.number();
    else if (args.is("--slot"))
      c.slot = args.number();
    else if (args.is("--helper"))
      c.helper = args.value();
    else if (args.is("--smoke"))
      c.smoke = true;
    else
      args.unknown();
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

std::string latency(const bench::Stats& s) {
  return bench::format("%.2f ms median, %.2f ms p99", s.median, s.p99);
}

std::vector<bench::Row> rows(const Config& c, const std::vector<double>& bare,
                             const std::vector<double>& boxed, double sequential_ms,
                             const std::vector<double>& idle,
                             const std::vector<double>& bare_idle) {
  auto b = bench::stats(bare), s = bench::stats(boxed);
  const std::string runs = bench::format("%d runs", c.runs);
  std::vector<bench::Row> out = {
      {"sandbox", "static `return 0` binary, bare",
       "posix_spawn + waitpid, interleaved with the"
       " sandboxed runs",
       runs, latency(b), ""},
      {"sandbox", "static `return 0` binary, sandboxed",
       "sandbox::Box::run, 1 box (judge-box"
       " helper), interleaved with the bare runs",
       runs, latency(s),
       bench::format("%.1fx bare median, +%.2f ms per run", s.median / b.median,
                     s.median - b.median)},
      {"sandbox", "sandboxed runs per second", "1 box, back to back", runs,
       bench::format("%.0f runs/s", static_cast<double>(c.runs) * 1000 / sequential_ms), ""}};
  if (!idle.empty()) {
    auto i = bench::stats(idle), bi = bench::stats(bare_idle);
    out.push_back({"sandbox", bench::format("sandboxed / bare run after %d ms idle", c.idle_ms),
                   "1 box; cgroup v1 attaches after idle wait for an RCU grace period",
                   bench::format("%d runs each", c.idle_runs),
                   bench::format("%.2f / %.2f ms median, %.2f / %.2f ms p99", i.median, bi.median,
                                 i.p99, bi.p99),
                   ""});
  }
  return out;
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
  box_run(box, spec);  // Starts the helper: a one-time cost, left out of the figures.
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
      std::fprintf(stderr, "\rsandbox: bare and sandboxed, interleaved %d/%d (%.1f s)", i + 1,
                   c.runs, ms_since(first) / 1000);
  }
  std::fprintf(stderr, "\n");
  if (c.idle_runs > 0)
    std::fprintf(stderr, "sandbox: %d runs after %d ms idle each\n", c.idle_runs, c.idle_ms);
  for (int i = 0; i < c.idle_runs; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(c.idle_ms));
    idle.push_back(box_run(box, spec));
    std::this_thread::sleep_for(std::chrono::milliseconds(c.idle_ms));
    bare_idle.push_back(bare_run(bin));
  }

  // Back to back: what one box runs per second, the ceiling of a one-slot worker.
  std::fprintf(stderr, "sandbox: %d sandboxed runs back to back\n", c.runs);
  auto sequential_start = Clock::now();
  for (int i = 0; i < c.runs; ++i) box_run(box, spec);
  double sequential_ms = ms_since(sequential_start);
  bench::report(rows(c, bare, boxed, sequential_ms, idle, bare_idle));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main("sandbox_bench", [&] { return run(parse(argc, argv)); });
}
