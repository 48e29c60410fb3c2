// Turning a claimed submission into a judge::JudgeRequest: the language as the judge sees it, the
// files, test data from the host's cache, limits, the compile cache key and the problem's output
// validator. One builder per slot: it owns the slot's box and scratch dirs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compile_cache.h"
#include "core/model.h"
#include "judge/boxes.h"
#include "judge/compiler_version.h"
#include "judge/judge.h"
#include "languages.h"
#include "slot_lock.h"
#include "testdata_cache.h"

namespace core {
class Metrics;
class Store;
}  // namespace core

namespace workers {

struct WorkerConfig;

// The caches a worker process shares between its slots, under its work root.
struct Caches {
  Caches(const WorkerConfig& config, core::Metrics& metrics);
  TestDataCache testdata;
  std::unique_ptr<DiskCompileCache> compile;  // Null: disabled.
};

// Host-side milliseconds of the steps before judging, for the phase breakdown.
struct PrepareTimes {
  double testdata_ms = 0;  // Test case rows and their files in the host cache.
  double setup_ms = 0;     // Box dirs, compiler version, validator sources.
};

class RequestBuilder {
 public:
  // runner: the slot's box, used to ask a compiler its version. dir: the slot's own dir.
  RequestBuilder(const WorkerConfig& config, core::Store& store, Caches& caches,
                 judge::Runner& runner, std::string dir);
  ~RequestBuilder();

  judge::JudgeRequest build(const core::Submission& s, const core::Problem& p,
                            const core::Language& language, BoxSources sources,
                            PrepareTimes& times);
  // The enabled language row with this id (rows re-read once when unknown); null otherwise.
  const core::Language* language(const std::string& id);

 private:
  void add_tests(const core::Submission& s, judge::JudgeRequest& r);
  judge::ValidatorProgram validator_program(const core::Problem& p,
                                            const judge::JudgeRequest& request);
  judge::Runner& validator_runner();
  std::string compiler_version(const core::Language& lang, const judge::JudgeRequest& request);

  const WorkerConfig& config_;
  core::Store& store_;
  Caches& caches_;
  judge::Runner& runner_;
  std::string dir_;
  judge::CompilerVersions compiler_versions_;
  std::vector<core::Language> languages_;
  // Interactive problems only: a second box (own slot) for the validator, made on first use.
  std::unique_ptr<SlotLock> validator_lock_;
  std::unique_ptr<judge::BoxRunner> validator_runner_;
};

}  // namespace workers
