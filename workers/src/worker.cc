// Theory of operation
// -------------------
// A worker process runs `slots` threads. Each slot owns one Postgres connection (Store), one Redis
// connection (Queue), one sandbox slot (host-wide flock, so processes never share a box) and one
// lease keeper thread with its own connection. A slot loops:
//   refresh the queue keys every few seconds (registry set + SCAN), BRPOP over all of them with the
//   order rotated per call -> claim the submission with the conditional UPDATE (the new attempt is
//   the fencing token) -> judge it in the sandbox while the lease keeper extends the lease ->
//   record the judgement through core::Store::record_judgement, fenced by the attempt.
// Failures: a garbage or stale queue item is logged and dropped (a claim that updates nothing);
// a Redis or Postgres outage is logged and retried with backoff; an infrastructure failure while
// judging is recorded as JE. If this process dies mid-judging, the lease expires and the
// submission is put back (DESIGN.md, sweeper). On stop, a slot finishes what it holds and exits.
#include "worker.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "core/queue.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "judge/judge.h"
#include "sandbox/sandbox.h"
#include "slot_lock.h"
#include "testdata_cache.h"

namespace workers {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxSandboxSlots = 256;
constexpr auto kPopTimeout = std::chrono::seconds(1);
constexpr auto kMaxBackoff = std::chrono::seconds(10);

// Keeps the lease of the submission in hand alive from its own thread and connection, so a long
// compile or run never lets the lease expire under a live worker.
class LeaseKeeper {
 public:
  LeaseKeeper(const std::string& database_url, int lease_seconds)
      : store_(database_url), lease_seconds_(lease_seconds), thread_([this] { loop(); }) {}
  ~LeaseKeeper() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  void hold(int64_t submission_id, int attempt) {
    std::lock_guard lock(mutex_);
    submission_id_ = submission_id;
    attempt_ = attempt;
  }
  void drop() { hold(0, 0); }

  // Holds a lease for one scope, dropping it however the scope ends.
  struct Hold {
    Hold(LeaseKeeper& owner, int64_t submission_id, int attempt) : keeper(owner) {
      keeper.hold(submission_id, attempt);
    }
    ~Hold() { keeper.drop(); }
    LeaseKeeper& keeper;
  };

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    auto period = std::chrono::seconds(std::max(1, lease_seconds_ / 3));
    while (!wake_.wait_for(lock, period, [this] { return quit_; })) {
      if (submission_id_ == 0) continue;
      int64_t id = submission_id_;
      int attempt = attempt_;
      lock.unlock();
      try {
        if (!store_.heartbeat(id, attempt, lease_seconds_))
          spdlog::warn("lease lost submission={} attempt={}", id, attempt);
      } catch (const std::exception& e) {
        spdlog::warn("heartbeat failed submission={}: {}", id, e.what());
      }
      lock.lock();
    }
  }

  core::Store store_;
  int lease_seconds_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool quit_ = false;
  int64_t submission_id_ = 0;
  int attempt_ = 0;
  std::thread thread_;
};

judge::LanguageSpec language_spec(const core::Language& l) {
  return {l.id, l.source_file, l.compile_argv, l.run_argv};
}

void reset_dir(const std::string& path, std::filesystem::perms perms) {
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
  std::filesystem::permissions(path, perms);
}

class Slot {
 public:
  Slot(const WorkerConfig& config, int index, const core::RedisAddress& redis)
      : config_(config),
        index_(index),
        lock_(config.slot_lock_dir, kMaxSandboxSlots),
        store_(config.database_url),
        queue_(redis),
        lease_(config.database_url, config.lease_seconds),
        cache_(config.work_root + "/testdata"),
        runner_(sandbox::BoxConfig{config.box_helper, lock_.slot(), "judge"}),
        dir_(config.work_root + "/slots/" + std::to_string(lock_.slot())) {}

  void run(const std::atomic<bool>& stop);

 private:
  void step(std::vector<std::string>& keys, Clock::time_point& refreshed);
  void handle(const core::Queue::Popped& popped);
  core::Judgement judge_claimed(int64_t submission_id, int attempt);
  judge::JudgeRequest build_request(const core::Submission& s, const core::Problem& p);
  const core::Language* language(const std::string& id);

  const WorkerConfig& config_;
  int index_;
  SlotLock lock_;
  core::Store store_;
  core::Queue queue_;
  LeaseKeeper lease_;
  TestDataCache cache_;
  judge::BoxRunner runner_;
  std::string dir_;
  std::vector<core::Language> languages_;
  uint64_t turn_ = 0;
};

void Slot::run(const std::atomic<bool>& stop) {
  spdlog::info("slot started slot={} sandbox_slot={} worker={}", index_, lock_.slot(),
               config_.worker_id);
  std::vector<std::string> keys;
  Clock::time_point refreshed{};
  auto backoff = std::chrono::milliseconds(250);
  while (!stop) {
    try {
      step(keys, refreshed);
      backoff = std::chrono::milliseconds(250);
    } catch (const std::exception& e) {
      spdlog::error("slot={} dependency failure, retrying in {} ms: {}", index_, backoff.count(),
                    e.what());
      for (auto waited = std::chrono::milliseconds(0); waited < backoff && !stop;
           waited += std::chrono::milliseconds(50))
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
    }
  }
  spdlog::info("slot stopped slot={}", index_);
}

void Slot::step(std::vector<std::string>& keys, Clock::time_point& refreshed) {
  if (Clock::now() - refreshed > std::chrono::seconds(config_.key_refresh_seconds)) {
    keys = queue_.discover_keys();
    refreshed = Clock::now();
  }
  if (keys.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    refreshed = {};  // Look again soon: a contest may appear any moment.
    return;
  }
  if (auto popped = queue_.pop(core::rotate_keys(keys, turn_++), kPopTimeout)) handle(*popped);
}

void Slot::handle(const core::Queue::Popped& popped) {
  auto item = core::decode_queue_item(popped.payload);
  if (!item) {
    spdlog::warn("dropping malformed queue item key={} payload={:.200}", popped.key, popped.payload);
    return;
  }
  auto attempt = store_.claim(item->submission_id, item->contest_id, config_.worker_id,
                              config_.lease_seconds);
  if (!attempt) {
    spdlog::info("skipping submission={}: unknown or not queued (duplicate or stale item)",
                 item->submission_id);
    return;
  }
  LeaseKeeper::Hold hold(lease_, item->submission_id, *attempt);
  auto started = Clock::now();
  core::Judgement judgement = judge_claimed(item->submission_id, *attempt);
  auto result = store_.record_judgement(judgement, {core::Fence::Kind::Worker, *attempt});
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (result.status == core::RecordStatus::Recorded)
    spdlog::info("judged submission={} attempt={} verdict={} judgement={} ms={}",
                 item->submission_id, *attempt, judgement.verdict, result.judgement_id, ms);
  else
    spdlog::warn("result refused submission={} attempt={}: lease lost", item->submission_id,
                 *attempt);
}

core::Judgement Slot::judge_claimed(int64_t submission_id, int attempt) {
  core::Judgement j;
  j.submission_id = submission_id;
  j.attempt = attempt;
  j.judged_by = config_.worker_id;
  j.start_ms = core::now_ms();
  try {
    auto submission = store_.submission(submission_id);
    auto problem = submission ? store_.problem(submission->contest_id, submission->problem_id)
                              : std::nullopt;
    if (!submission || !problem) throw std::runtime_error("submission or problem vanished");
    judge::JudgeOutcome outcome = judge::judge_submission(runner_, build_request(*submission, *problem));
    j.verdict = judge::to_string(outcome.verdict);
    j.compile_output = outcome.compile_output;
    if (outcome.max_run_ms) j.max_run_time_ms = static_cast<int>(*outcome.max_run_ms);
    for (const auto& t : outcome.tests)
      j.runs.push_back({t.ordinal, t.test_id, judge::to_string(t.verdict),
                        static_cast<int>(t.cpu_ms), static_cast<int>(t.wall_ms), t.memory_kib});
  } catch (const core::StoreError&) {
    throw;  // Postgres is down: the lease will expire and the submission comes back.
  } catch (const std::exception& e) {
    spdlog::error("judge error submission={}: {}", submission_id, e.what());
    j.verdict = "JE";
    j.compile_output = std::string("judge error: ") + e.what();
    j.runs.clear();
  }
  return j;
}

judge::JudgeRequest Slot::build_request(const core::Submission& s, const core::Problem& p) {
  const core::Language* lang = language(s.language_id);
  if (!lang) throw std::runtime_error("unknown language " + s.language_id);
  auto flags = judge::parse_validator_flags(p.validator_flags);
  if (!flags) throw std::runtime_error("bad validator_flags of problem " + p.id);
  judge::JudgeRequest r;
  r.language = language_spec(*lang);
  r.source = s.source;
  for (const auto& t : store_.testcases(s.contest_id, s.problem_id))
    r.tests.push_back({t.id, cache_.path(store_, t.input_sha), cache_.path(store_, t.answer_sha)});
  if (r.tests.empty()) throw std::runtime_error("problem " + p.id + " has no test data");
  r.limits = {p.time_limit_ms, p.memory_limit_kib};
  r.output_limit_kib = p.output_limit_kib;
  r.validator_flags = *flags;
  r.box_dir = dir_ + "/box";
  r.scratch_dir = dir_ + "/scratch";
  // judge-box hands the dir to the box uid for compiling; runs only read it.
  reset_dir(r.box_dir, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                           std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                           std::filesystem::perms::others_exec);
  reset_dir(r.scratch_dir, std::filesystem::perms::owner_all);
  return r;
}

const core::Language* Slot::language(const std::string& id) {
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& l : languages_)
      if (l.id == id) return l.enabled ? &l : nullptr;
    if (pass == 0) languages_ = store_.languages();  // New or changed rows: reload once.
  }
  return nullptr;
}

}  // namespace

int run_worker(const WorkerConfig& config, const std::atomic<bool>& stop) {
  auto redis = core::parse_redis_url(config.redis_url);
  if (!redis) {
    spdlog::error("REDIS_URL is not redis://host[:port][/db]: {}", config.redis_url);
    return 2;
  }
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < config.slots; ++i)
    slots.push_back(std::make_unique<Slot>(config, i, *redis));
  std::vector<std::thread> threads;
  for (auto& slot : slots) threads.emplace_back([&slot, &stop] { slot->run(stop); });
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace workers
