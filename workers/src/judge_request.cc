#include "judge_request.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <sstream>

#include "core/contest_reads.h"
#include "core/problem_data.h"
#include "validator_rules/validator_rules.h"
#include "worker.h"

namespace workers {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Empties the dir at path, made with perms if it is not there as such. Only what the last
// submission left goes: the dir itself stays (no rmdir, mkdir and chmod per submission).
void clear_dir(const std::string& path, fs::perms perms) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (!ec && fs::is_directory(status) && (status.permissions() & fs::perms::all) == perms) {
    for (const auto& entry : fs::directory_iterator(path)) fs::remove_all(entry.path());
    return;
  }
  fs::remove_all(path);
  fs::create_directories(path);
  fs::permissions(path, perms);
}

}  // namespace

Caches::Caches(const WorkerConfig& config, core::Metrics& metrics)
    : testdata(config.work_root + "/testdata", uint64_t(config.testdata_cache_mib) << 20) {
  if (config.compile_cache_mib > 0)
    compile = std::make_unique<DiskCompileCache>(
        config.work_root + "/compiled", uint64_t(config.compile_cache_mib) << 20, &metrics);
}

RequestBuilder::RequestBuilder(const WorkerConfig& config, core::Store& store, Caches& caches,
                               judge::Runner& runner, std::string dir)
    : config_(config), store_(store), caches_(caches), runner_(runner), dir_(std::move(dir)) {}

RequestBuilder::~RequestBuilder() = default;

judge::JudgeRequest RequestBuilder::build(const core::Submission& s, const core::Problem& p,
                                          const core::Language& language, BoxSources sources,
                                          PrepareTimes& times) {
  const bool custom = p.validation != "default";
  auto flags = validator_rules::parse_validator_flags(custom ? "" : p.validator_flags);
  if (!flags) throw std::runtime_error("bad validator_flags of problem " + p.id);
  judge::JudgeRequest r;
  r.language = language_spec(language);
  r.files = std::move(sources.files);
  r.entry_point = std::move(sources.entry_point);
  auto started = Clock::now();
  add_tests(s, r);
  times.testdata_ms = ms_since(started);
  started = Clock::now();
  r.limits = {p.time_limit_ms, p.memory_limit_kib};
  r.output_limit_kib = p.output_limit_kib;
  r.validator_flags = *flags;
  r.box_dir = dir_ + "/box";
  r.scratch_dir = dir_ + "/scratch";
  // judge-box hands the dir to the box uid for compiling; runs only read it.
  clear_dir(r.box_dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  clear_dir(r.scratch_dir, fs::perms::owner_all);
  if (caches_.compile && !language.compile_argv.empty()) {
    std::string version = compiler_version(language, r);
    if (!version.empty()) {
      r.compile_cache = caches_.compile.get();
      r.compile_key =
          compile_cache_key(language.id, version, language.compile_argv, r.files, r.entry_point);
    }
  }
  if (custom) {
    r.validator = validator_program(p, r);
    r.compile_cache = caches_.compile.get();  // The validator's key is its own; an empty one
                                              // (the submission's, maybe) is never looked up.
  }
  if (custom && r.validator->interactive) r.validator_runner = &validator_runner();
  times.setup_ms = ms_since(started);
  return r;
}

// The problem's test cases with their files in the host cache (fetched from Postgres once).
void RequestBuilder::add_tests(const core::Submission& s, judge::JudgeRequest& r) {
  for (const auto& t : core::ProblemData(store_).testcases(s.contest_id, s.problem_id))
    r.tests.push_back({t.id, caches_.testdata.path(store_, t.input_sha),
                       caches_.testdata.path(store_, t.answer_sha), t.group});
  for (const auto& g : core::ProblemData(store_).problem_groups(s.contest_id, s.problem_id))
    r.groups.push_back({g.points, g.continue_on_reject});
  if (r.tests.empty()) throw std::runtime_error("problem " + s.problem_id + " has no test data");
}

// The problem's validator, its main source under its language's source file name.
judge::ValidatorProgram RequestBuilder::validator_program(const core::Problem& p,
                                                          const judge::JudgeRequest& request) {
  judge::ValidatorProgram v;
  v.files = core::ProblemData(store_).validator_files(p.contest_id, p.id);
  std::vector<std::string> names;
  for (const auto& file : v.files) names.push_back(file.first);
  auto main_source = validator_rules::pick_validator_source(names);
  if (!main_source) throw std::runtime_error("problem " + p.id + " has no validator source");
  const core::Language* lang = language(*validator_rules::validator_language(*main_source));
  if (!lang) throw std::runtime_error("validator language of problem " + p.id + " is disabled");
  v.language = language_spec(*lang);
  std::vector<judge::SourceFile> sources;
  for (auto& [name, content] : v.files) {
    if (name == *main_source) name = lang->source_file;
    sources.push_back({name, content});
  }
  v.interactive = p.validation == "custom interactive";
  std::istringstream flags(p.validator_flags);
  for (std::string flag; flags >> flag;) v.flags.push_back(flag);
  v.box_dir = dir_ + "/validator";
  std::filesystem::remove_all(v.box_dir);
  if (caches_.compile && !lang->compile_argv.empty()) {
    std::string version = compiler_version(*lang, request);
    if (!version.empty())
      v.compile_key = compile_cache_key("validator:" + lang->id, version, lang->compile_argv,
                                        sources, lang->source_file);
  }
  return v;
}

judge::Runner& RequestBuilder::validator_runner() {
  if (!validator_runner_) {
    validator_lock_ = std::make_unique<SlotLock>(config_.slot_lock_dir, kMaxSandboxSlots);
    validator_runner_ =
        std::make_unique<judge::BoxRunner>(config_.box_helper, validator_lock_->slot());
  }
  return *validator_runner_;
}

// The compiler's version (judge/compiler_version.h), asked in the slot's box once per command.
// Empty (no caching this time; asked again next time) when the command does not answer.
std::string RequestBuilder::compiler_version(const core::Language& lang,
                                             const judge::JudgeRequest& request) {
  judge::CompilerVersions::Answer answer =
      compiler_versions_.get(runner_, language_spec(lang), request.box_dir, request.scratch_dir);
  if (!answer.version) {
    spdlog::warn("compiler of language {} gave no version: compiling without cache", lang.id);
    return "";
  }
  if (answer.asked) {
    const std::string& version = *answer.version;
    spdlog::info("compiler version language={} version={}", lang.id,
                 version.substr(0, version.find('\n')));
  }
  return *answer.version;
}

const core::Language* RequestBuilder::language(const std::string& id) {
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& l : languages_)
      if (l.id == id) return l.enabled ? &l : nullptr;
    if (pass == 0)
      languages_ = core::ContestReads(store_).languages();  // New or changed rows: reload once.
  }
  return nullptr;
}

}  // namespace workers
