#include "languages.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "core/contest_reads.h"
#include "core/entry_point.h"
#include "core/metrics.h"
#include "judge/boxes.h"
#include "slot_lock.h"
#include "worker.h"

namespace workers {
namespace {

namespace fs = std::filesystem;

// Generous: a JVM starts slowly on a loaded machine. The compile has its own (larger) limits.
constexpr int64_t kSelfTestTimeLimitMs = 10000;
constexpr int64_t kSelfTestMemoryKib = 512 * 1024;
constexpr const char* kSelfTestOutput = "hello\n";
// Boxes testing at once: the compilers are mostly single-threaded; Kotlin's takes the longest.
constexpr int kMinSelfTestBoxes = 2;
constexpr int kMaxSelfTestBoxes = 4;
constexpr auto kRetryPause = std::chrono::milliseconds(2000);  // Slept in 20 steps: not seconds.

void fresh_dir(const fs::path& path) {
  fs::remove_all(path);
  fs::create_directories(path);
  fs::permissions(path, fs::perms(0755));  // The box's uid reads it during runs.
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// The box sees the host's /usr: an absolute command missing here is missing there. Checked
// first because the sandbox reports a failed execve as its own failure, not the program's.
std::optional<std::string> missing_command(const core::Language& language) {
  for (const auto* argv : {&language.compile_argv, &language.run_argv}) {
    if (argv->empty() || argv->front().empty() || argv->front()[0] != '/') continue;
    std::error_code ec;
    if (!fs::exists(argv->front(), ec)) return "command not found: " + argv->front();
  }
  return std::nullopt;
}

// Compiles and runs the hello program through the judge's own pipeline: "hello" must come out.
SelfTest self_test_one(judge::Runner& runner, const core::Language& language, const fs::path& dir) {
  SelfTest result{language.id};
  if (auto missing = missing_command(language)) {
    result.reason = *missing;
    return result;
  }
  fresh_dir(dir / "box");
  fresh_dir(dir / "scratch");
  write_text(dir / "empty.in", "");
  write_text(dir / "hello.ans", kSelfTestOutput);
  core::Submission hello;
  hello.language_id = language.id;
  hello.source = language.selftest_source;
  BoxSources sources = box_sources(language, hello);
  if (!sources.error.empty()) {
    result.reason = sources.error;
    return result;
  }
  judge::JudgeRequest request;
  request.language = language_spec(language);
  request.files = sources.files;
  request.entry_point = sources.entry_point;
  request.tests = {{1, (dir / "empty.in").string(), (dir / "hello.ans").string()}};
  request.limits = {kSelfTestTimeLimitMs, kSelfTestMemoryKib};
  request.box_dir = (dir / "box").string();
  request.scratch_dir = (dir / "scratch").string();
  judge::JudgeOutcome outcome = judge::judge_submission(runner, request);
  result.ready = outcome.verdict == domain::Verdict::AC;
  if (!result.ready) {
    result.reason = std::string("verdict ") + domain::to_string(outcome.verdict);
    if (!outcome.tests.empty() && !outcome.tests.back().message.empty())
      result.reason += ": " + outcome.tests.back().message;
    if (!outcome.compile_output.empty()) result.reason += ": " + outcome.compile_output;
  }
  return result;
}

// Takes languages off `next` until none is left, testing each in the box of `slot`.
void test_languages(const std::vector<core::Language>& languages, const WorkerConfig& config,
                    int slot, std::atomic<size_t>& next, std::vector<SelfTest>& results) {
  judge::BoxRunner runner(config.box_helper, slot);
  const fs::path dir = fs::path(config.work_root) / "selftest" / std::to_string(slot);
  for (size_t i = next++; i < languages.size(); i = next++) {
    const auto started = std::chrono::steady_clock::now();
    const core::Language& language = languages[i];
    if (language.selftest_source.empty()) {
      results[i] = {language.id, true, "no self-test program", 0};
      continue;
    }
    try {
      results[i] = self_test_one(runner, language, dir);
    } catch (const sandbox::BoxError& e) {
      // The sandbox failed, not the toolchain: an infrastructure failure, which judging retries
      // and ends as JE (never a verdict). Disabling every language would hide it instead.
      results[i] = {language.id, true,
                    std::string("sandbox failed, toolchain untested: ") + e.what()};
    } catch (const std::exception& e) {
      results[i] = {language.id, false, std::string("sandbox or I/O failure: ") + e.what()};
    }
    results[i].ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace

judge::LanguageSpec language_spec(const core::Language& l) {
  return {l.id, l.source_file, l.compile_argv, l.run_argv, l.extensions, l.version_argv};
}

BoxSources box_sources(const core::Language& language, const core::Submission& submission) {
  std::vector<core::SourceFile> files = submission.files;
  if (files.empty())
    files.push_back({submission.filename.value_or(language.source_file), submission.source});
  BoxSources out;
  for (const auto& f : files) out.files.push_back({core::box_file_name(f.name), f.content});
  core::EntryPoint entry = core::resolve_entry_point(language, files, submission.entry_point);
  out.entry_point = entry.value;
  out.error = entry.error;
  return out;
}

std::vector<SelfTest> self_test_languages(const std::vector<core::Language>& languages,
                                          const WorkerConfig& config, int parallel) {
  std::vector<SelfTest> results;
  for (const auto& l : languages) results.push_back({l.id, false, "not tested (no sandbox slot)"});
  std::atomic<size_t> next{0};
  auto work = [&]() noexcept {
    std::optional<SlotLock> lock;
    try {
      lock.emplace(config.slot_lock_dir, kMaxSandboxSlots);
    } catch (const std::exception&) {
      return;  // Fewer sandboxes: the other threads test the rest.
    }
    try {
      test_languages(languages, config, lock->slot(), next, results);
    } catch (const std::exception&) {
      // Unreachable in practice (each language catches its own); the rest stay "not tested".
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, parallel); ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  return results;
}

namespace {

bool wanted(const core::Language& language, const std::string& filter) {
  if (!language.enabled) return false;
  if (filter.empty()) return true;
  return ("," + filter + ",").find("," + language.id + ",") != std::string::npos;
}

std::optional<std::vector<core::Language>> read_languages(const WorkerConfig& config,
                                                          const std::atomic<bool>& stop) {
  while (!stop) {
    try {
      core::Store store(config.database_url);
      return core::ContestReads(store).languages();
    } catch (const std::exception& e) {
      spdlog::error("cannot read the languages, retrying: {}", e.what());
      for (int i = 0; i < 20 && !stop; ++i) std::this_thread::sleep_for(kRetryPause / 20);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<std::string>> ready_languages(const WorkerConfig& config,
                                                        const std::atomic<bool>& stop,
                                                        core::Metrics& metrics) {
  auto rows = read_languages(config, stop);
  if (!rows) return std::nullopt;
  std::erase_if(*rows, [&](const core::Language& l) { return !wanted(l, config.languages); });
  const auto started = std::chrono::steady_clock::now();
  const int parallel = std::clamp(config.slots, kMinSelfTestBoxes, kMaxSelfTestBoxes);
  std::vector<std::string> ready;
  std::string failed;
  for (const SelfTest& t : self_test_languages(*rows, config, parallel)) {
    metrics.set(kLanguageReadyMetric, "language=\"" + t.language_id + "\"", t.ready ? 1 : 0);
    if (t.ready) {
      if (!t.reason.empty())
        spdlog::warn("language kept untested language={} reason={:.500}", t.language_id, t.reason);
      ready.push_back(t.language_id);
      continue;
    }
    failed += (failed.empty() ? "" : ",") + t.language_id;
    spdlog::error("language disabled on this worker language={} ms={} reason={:.500}",
                  t.language_id, t.ms, t.reason);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  std::string joined;
  for (const auto& id : ready) joined += (joined.empty() ? "" : ",") + id;
  spdlog::info("language self-test done ms={} boxes={} ready={} disabled={}", ms, parallel, joined,
               failed);
  return ready;
}

}  // namespace workers
