#include "sandbox_check.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "core/metrics.h"
#include "judge/boxes.h"
#include "slot_lock.h"
#include "worker.h"

namespace workers {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRequirements = "see README, The sandbox: Requirements";
// A sandbox that fails to run the probes once (a slot's leftovers still draining, a helper that
// died) gets one more try, in a slot taken afresh; one that fails twice is refused.
constexpr int kCheckAttempts = 2;
constexpr auto kCheckRetryPause = std::chrono::milliseconds(500);
constexpr sandbox::Enforcement kEnforcements[] = {
    sandbox::Enforcement::Memory, sandbox::Enforcement::Processes, sandbox::Enforcement::CpuTime};

bool missing(const sandbox::SelfCheck& check, sandbox::Enforcement what) {
  for (const auto& s : check.shortfalls)
    if (s.what == what) return true;
  return false;
}

// A Prometheus label value: backslash, double quote and newline escaped.
std::string label_value(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"' || c == '\n') out += '\\';
    out += c == '\n' ? 'n' : c;
  }
  return out;
}

std::string facts_line(const sandbox::SelfCheck& check) {
  std::string line =
      "cgroup=" + (check.cgroup.empty() ? "unknown" : check.cgroup) + " kernel=" + check.kernel;
  for (auto what : kEnforcements)
    line +=
        std::string(" ") + sandbox::to_string(what) + (missing(check, what) ? "=missing" : "=ok");
  return line + " ms=" + std::to_string(check.ms);
}

// An empty dir the box's uid may enter: the probes' work dir.
fs::path fresh_work_dir(const WorkerConfig& config, int slot) {
  const fs::path dir = fs::path(config.work_root) / "sandbox-check" / std::to_string(slot);
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms(0755));
  return dir;
}

sandbox::SelfCheck run_self_check(const WorkerConfig& config) {
  SlotLock lock(config.slot_lock_dir, kMaxSandboxSlots);
  const fs::path dir = fresh_work_dir(config, lock.slot());
  // Its box is stopped (cgroups removed) before the slot is free for another process again.
  sandbox::SelfCheck check =
      judge::sandbox_self_check(config.box_helper, lock.slot(), dir.string());
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return check;
}

// The check's facts, or nothing (logged) when the sandbox could not run it in kCheckAttempts.
std::optional<sandbox::SelfCheck> checked(const WorkerConfig& config) {
  for (int attempt = 1;; ++attempt) {
    try {
      return run_self_check(config);
    } catch (const std::exception& e) {
      if (attempt == kCheckAttempts) {
        spdlog::error("worker refuses to start: the sandbox could not run its self-check ({}): {}",
                      kRequirements, e.what());
        return std::nullopt;
      }
      spdlog::warn("sandbox self-check could not run (attempt {} of {}), trying again: {}", attempt,
                   kCheckAttempts, e.what());
    }
    std::this_thread::sleep_for(kCheckRetryPause);
  }
}

}  // namespace

SandboxDecision decide(const sandbox::SelfCheck& check) {
  if (check.shortfalls.empty()) return {true, "sandbox self-check passed " + facts_line(check)};
  std::string names;
  for (auto what : kEnforcements)
    if (missing(check, what))
      names += (names.empty() ? "" : ",") + std::string(sandbox::to_string(what));
  return {false, "worker refuses to start: the sandbox does not enforce " + names +
                     " (sandbox self-check failed " + facts_line(check) + "; " + kRequirements +
                     ")"};
}

std::string sandbox_info_labels(const sandbox::SelfCheck& check) {
  return "cgroup=\"" + label_value(check.cgroup) + "\",kernel=\"" + label_value(check.kernel) +
         "\"";
}

bool sandbox_fit(const WorkerConfig& config, core::Metrics& metrics) {
  std::optional<sandbox::SelfCheck> ran = checked(config);
  if (!ran) return false;
  const sandbox::SelfCheck& check = *ran;
  if (!check.cgroup.empty()) metrics.set(kSandboxInfoMetric, sandbox_info_labels(check), 1);
  const SandboxDecision decision = decide(check);
  if (decision.fit) {
    spdlog::info("{}", decision.summary);
    return true;
  }
  for (const auto& s : check.shortfalls) spdlog::error("sandbox self-check failed: {}", s.reason);
  spdlog::error("{}", decision.summary);
  return false;
}

}  // namespace workers
