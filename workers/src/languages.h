// Languages on a worker: the row as the judge sees it, a submission's files in the box, and the
// self-test at start (every enabled language compiles and runs its hello program in the sandbox;
// the worker claims only submissions in the languages that passed).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "judge/judge.h"

namespace core {
class Metrics;
}

namespace workers {

struct WorkerConfig;

inline constexpr const char* kLanguageReadyMetric = "judge_worker_language_ready";

judge::LanguageSpec language_spec(const core::Language& language);

// The files of a submission as they go into the box (box file names), and its entry point
// (core::resolve_entry_point). On a submission whose entry point cannot be decided, error says
// why (the verdict is CE).
struct BoxSources {
  std::vector<judge::SourceFile> files;
  std::string entry_point;
  std::string error;
};
BoxSources box_sources(const core::Language& language, const core::Submission& submission);

struct SelfTest {
  std::string language_id;
  bool ready = false;
  std::string reason;  // Why not ready (compile output, verdict), for the log.
  int64_t ms = 0;
};

// Self-tests `languages` (the enabled ones; an empty selftest_source passes untested) in up to
// `parallel` sandboxes at once, each a slot of its own for the duration. Never throws. A failure
// of the sandbox itself (BoxError) keeps the language, untested: it is no fact about the
// toolchain, and judging turns it into retries and JE as for any infrastructure failure.
std::vector<SelfTest> self_test_languages(const std::vector<core::Language>& languages,
                                          const WorkerConfig& config, int parallel);

// The languages this worker judges: the enabled rows (only those in config.languages when set)
// that pass self_test_languages. Logs one line per language that failed and one with the
// total time; sets kLanguageReadyMetric{language=...}. Reads the rows again while Postgres is
// unreachable; nothing when stop is set first.
std::optional<std::vector<std::string>> ready_languages(const WorkerConfig& config,
                                                        const std::atomic<bool>& stop,
                                                        core::Metrics& metrics);

}  // namespace workers
