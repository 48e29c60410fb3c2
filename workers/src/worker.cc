// Theory of operation
// -------------------
// At start, before any work: the sandbox self-check (sandbox_check.h) proves that the box's
// limits apply on this host, else the process exits with kExitSandboxUnfit; then each language's
// self-test (languages.h) decides which languages this worker claims.
// A worker process runs `slots` threads. Each slot owns one Postgres connection (Store), one Redis
// connection (Queue), one sandbox slot (host-wide flock, so processes never share a box) and one
// lease keeper thread with its own connection. A slot loops:
//   refresh the queue keys every few seconds (registry set + SCAN), BRPOP over all of them with the
//   order rotated per call -> claim: a live item claims the contest's next submission fairly
//   (round robin over teams, core::JudgingStore::claim_next), a rejudge item its own submission;
//   the new attempt is the fencing token -> judge it in the sandbox while the lease keeper extends
//   the lease -> record the judgement through core::JudgingStore::record_judgement, fenced by the
//   attempt.
// Failures: a garbage or stale queue item is logged and dropped (a claim that updates nothing);
// a Redis or Postgres outage is logged and retried with backoff. An internal error while judging
// (the sandbox failed, test data missing) is retried with exponential backoff; after
// max_attempts failures (lost leases count too) the submission gets JE and a dead-letter entry.
// If this process dies mid-judging, the lease expires and the sweeper (sweeper.h) puts the
// submission back. On stop, slots stop popping and finish what they hold within the grace
// period; what is still judging after it is released to the queue.
#include "worker.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/contest_reads.h"
#include "core/judging_store.h"
#include "core/metrics.h"
#include "core/queue.h"
#include "core/store.h"
#include "core/submission_store.h"
#include "core/timefmt.h"
#include "judge/boxes.h"
#include "judge/judge.h"
#include "judge_request.h"
#include "languages.h"
#include "sandbox_check.h"
#include "slot_lock.h"
#include "sweeper.h"

namespace workers {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPopTimeout = std::chrono::seconds(1);
constexpr auto kMaxBackoff = std::chrono::seconds(10);
constexpr double kMaxRetryDelaySeconds = 60;

constexpr const char* kProcessedMetric = "judge_worker_submissions_total";
constexpr const char* kVerdictsMetric = "judge_worker_verdicts_total";
constexpr const char* kJudgeSecondsMetric = "judge_worker_judge_seconds";
constexpr const char* kQueueWaitMetric = "judge_worker_queue_wait_seconds";
constexpr const char* kBusySlotsMetric = "judge_worker_busy_slots";
constexpr const char* kPhaseMetric = "judge_worker_phase_seconds";
// A queue item this worker cannot serve goes back; the pause keeps a lone worker from spinning
// on it.
constexpr auto kPushBackPause = std::chrono::milliseconds(200);

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
        if (!core::JudgingStore(store_).heartbeat(id, attempt, lease_seconds_))
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

// What a slot judges right now, readable by run_worker after the grace period.
struct InHand {
  int64_t submission_id = 0;
  int attempt = 0;
  std::string contest_id;
  bool rejudge = false;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Where one submission's time went in this process (host wall milliseconds): logged with its
// verdict and observed in kPhaseMetric, so the breakdown comes from the real path.
struct Phases {
  double claim = 0;          // Claim statement (pop to claimed).
  double load = 0;           // Submission, problem and language rows.
  double testdata = 0;       // Test case rows, files from the host cache.
  double setup = 0;          // Box dirs, compiler version, validator sources.
  judge::JudgeTiming judge;  // Compile (or cache hit), sandbox runs, output checks.
  double record = 0;         // record_judgement's transaction.

  std::vector<std::pair<const char*, double>> named() const {
    return {{"claim", claim},
            {"load", load},
            {"testdata", testdata},
            {"setup", setup},
            {"compile", judge.compile_ms},
            {"runs", judge.runs_ms},
            {"compare", judge.check_ms},
            {"record", record}};
  }
};

// The result of judging one claimed submission: a judgement, or the internal error that kept
// the judge from producing one (retried; never a verdict about the program).
struct Judged {
  core::Judgement judgement;
  std::optional<std::string> internal_error;
  Phases phases;
};

class Slot {
 public:
  Slot(const WorkerConfig& config, int index, const core::RedisAddress& redis,
       core::Metrics& metrics, Caches& caches, const std::vector<std::string>& ready_languages)
      : config_(config),
        index_(index),
        metrics_(metrics),
        lock_(config.slot_lock_dir, kMaxSandboxSlots),
        store_(config.database_url),
        judging_(store_),
        queue_(redis),
        lease_(config.database_url, config.lease_seconds),
        runner_(config.box_helper, lock_.slot()),
        requests_(config, store_, caches, runner_,
                  config.work_root + "/slots/" + std::to_string(lock_.slot())),
        ready_languages_(ready_languages) {}

  void run(const std::atomic<bool>& stop);
  bool finished() const { return finished_; }
  std::optional<InHand> in_hand() {
    std::lock_guard lock(in_hand_mutex_);
    return in_hand_;
  }

 private:
  void step(std::vector<std::string>& keys, Clock::time_point& refreshed);
  void handle(const core::Queue::Popped& popped);
  std::optional<core::Claim> claim(const std::string& key, const core::QueueItem& item);
  void judge_and_record(const core::Claim& claim, const std::string& contest_id, double claim_ms);
  void retry_or_give_up(const core::Claim& claim, const std::string& contest_id,
                        const std::string& error);
  void give_up(const core::Claim& claim, const std::string& contest_id, const std::string& reason);
  void record(const core::Judgement& judgement, const core::Claim& claim, double seconds,
              Phases phases);
  Judged judge_claimed(int64_t submission_id, int attempt);
  void judge_loaded(const core::Submission& submission, const core::Problem& problem,
                    const core::Language& lang, Judged& out);
  bool push_back_foreign(const core::Queue::Popped& popped, const core::QueueItem& item);
  void set_in_hand(std::optional<InHand> value) {
    std::lock_guard lock(in_hand_mutex_);
    in_hand_ = std::move(value);
  }

  const WorkerConfig& config_;
  int index_;
  core::Metrics& metrics_;
  SlotLock lock_;
  core::Store store_;
  core::JudgingStore judging_;  // Over store_.
  core::Queue queue_;
  LeaseKeeper lease_;
  judge::BoxRunner runner_;
  RequestBuilder requests_;
  std::vector<std::string> ready_languages_;  // Passed the self-test: the only ones claimed.
  uint64_t turn_ = 0;
  std::atomic<bool> finished_{false};
  std::mutex in_hand_mutex_;
  std::optional<InHand> in_hand_;
};

bool is_rejudge_key(const std::string& key) { return key.rfind(core::kRejudgeKeyPrefix, 0) == 0; }

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
  finished_ = true;
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
    spdlog::warn("dropping malformed queue item key={} payload={:.200}", popped.key,
                 popped.payload);
    metrics_.inc(kProcessedMetric, "outcome=\"dropped\"");
    return;
  }
  const auto popped_at = Clock::now();
  auto claimed = claim(popped.key, *item);
  const double claim_ms = ms_since(popped_at);
  if (!claimed && push_back_foreign(popped, *item)) return;
  if (!claimed) {
    spdlog::debug("nothing to claim for item submission={} contest={} (duplicate or stale)",
                  item->submission_id, item->contest_id);
    metrics_.inc(kProcessedMetric, "outcome=\"skipped\"");
    return;
  }
  metrics_.observe(kQueueWaitMetric, "", claimed->queue_wait_seconds);
  set_in_hand(InHand{claimed->submission_id, claimed->attempt, item->contest_id,
                     is_rejudge_key(popped.key)});
  metrics_.inc(kBusySlotsMetric, "", 1);
  try {
    if (claimed->failures >= config_.max_attempts) {
      give_up(
          *claimed, item->contest_id,
          std::to_string(claimed->failures) + " failed attempts (internal errors or lost leases)");
    } else {
      judge_and_record(*claimed, item->contest_id, claim_ms);
    }
  } catch (...) {
    metrics_.inc(kBusySlotsMetric, "", -1);
    set_in_hand(std::nullopt);
    throw;  // A dependency is down: the slot backs off; the lease expires if we cannot release.
  }
  metrics_.inc(kBusySlotsMetric, "", -1);
  set_in_hand(std::nullopt);
}

// A live item stands for "one more queued submission in this contest": take the fair next one.
// A rejudge item names its submission. Only languages that passed the self-test are claimed.
std::optional<core::Claim> Slot::claim(const std::string& key, const core::QueueItem& item) {
  if (is_rejudge_key(key))
    return judging_.claim(item.submission_id, item.contest_id, config_.worker_id,
                          config_.lease_seconds, ready_languages_);
  return judging_.claim_next(item.contest_id, config_.worker_id, config_.lease_seconds,
                             ready_languages_);
}

// An item that may stand for a submission in a language this worker cannot judge goes back to
// its list for the workers that can (dropping it would leave that submission to the sweeper).
bool Slot::push_back_foreign(const core::Queue::Popped& popped, const core::QueueItem& item) {
  const bool rejudge = is_rejudge_key(popped.key);
  std::optional<int64_t> only;
  if (rejudge) only = item.submission_id;
  if (!judging_.queued_outside_languages(item.contest_id, only, ready_languages_)) return false;
  queue_.push({item.submission_id, item.contest_id, rejudge});
  spdlog::debug("put back queue item submission={} contest={}: a language this worker lacks",
                item.submission_id, item.contest_id);
  metrics_.inc(kProcessedMetric, "outcome=\"put_back\"");
  std::this_thread::sleep_for(kPushBackPause);
  return true;
}

void Slot::judge_and_record(const core::Claim& claim, const std::string& contest_id,
                            double claim_ms) {
  LeaseKeeper::Hold hold(lease_, claim.submission_id, claim.attempt);
  auto started = Clock::now();
  Judged judged = judge_claimed(claim.submission_id, claim.attempt);
  if (judged.internal_error) return retry_or_give_up(claim, contest_id, *judged.internal_error);
  const std::chrono::duration<double> took = Clock::now() - started;
  judged.phases.claim = claim_ms;
  record(judged.judgement, claim, took.count(), judged.phases);
}

void Slot::record(const core::Judgement& judgement, const core::Claim& claim, double seconds,
                  Phases phases) {
  const auto started = Clock::now();
  auto result = judging_.record_judgement(judgement, {core::Fence::Kind::Worker, claim.attempt});
  phases.record = ms_since(started);
  if (result.status != core::RecordStatus::Recorded) {
    spdlog::warn("result refused submission={} attempt={} worker={}: lease lost",
                 claim.submission_id, claim.attempt, config_.worker_id);
    metrics_.inc(kProcessedMetric, "outcome=\"lease_lost\"");
    return;
  }
  std::string breakdown;
  for (const auto& [phase, ms] : phases.named()) {
    breakdown += fmt::format(" {}_ms={:.2f}", phase, ms);
    metrics_.observe(kPhaseMetric, fmt::format("phase=\"{}\"", phase), ms / 1000);
  }
  spdlog::info("judged submission={} attempt={} verdict={} judgement={} ms={} worker={}{}",
               claim.submission_id, claim.attempt, to_string(*judgement.verdict),
               result.judgement_id, static_cast<int64_t>(seconds * 1000), config_.worker_id,
               breakdown);
  metrics_.inc(kProcessedMetric, "outcome=\"judged\"");
  metrics_.inc(kVerdictsMetric, "verdict=\"" + std::string(to_string(*judgement.verdict)) + "\"");
  metrics_.observe(kJudgeSecondsMetric, "", seconds);
}

void Slot::retry_or_give_up(const core::Claim& claim, const std::string& contest_id,
                            const std::string& error) {
  const int failures = claim.failures + 1;
  if (failures >= config_.max_attempts) {
    return give_up(claim, contest_id,
                   error + " (failed attempt " + std::to_string(failures) + " of " +
                       std::to_string(config_.max_attempts) + ")");
  }
  const double delay = std::min(kMaxRetryDelaySeconds, config_.retry_base_ms / 1000.0 *
                                                           double(1 << std::min(failures - 1, 20)));
  if (!judging_.retry_later(claim.submission_id, claim.attempt, delay)) {
    spdlog::warn("cannot retry submission={} attempt={}: lease lost", claim.submission_id,
                 claim.attempt);
    return;
  }
  spdlog::warn(
      "internal error submission={} attempt={} failures={} retry_in_s={:.1f} worker={} "
      "error={}",
      claim.submission_id, claim.attempt, failures, delay, config_.worker_id, error);
  metrics_.inc(kProcessedMetric, "outcome=\"retried\"");
}

// JE through the one record path, then a dead-letter entry a human can act on.
void Slot::give_up(const core::Claim& claim, const std::string& contest_id,
                   const std::string& reason) {
  core::Judgement j;
  j.submission_id = claim.submission_id;
  j.attempt = claim.attempt;
  j.judged_by = config_.worker_id;
  j.start_ms = core::now_ms();
  j.verdict = domain::Verdict::JE;
  j.compile_output = "judge error: " + reason;
  if (judging_.record_judgement(j, {core::Fence::Kind::Worker, claim.attempt}).status !=
      core::RecordStatus::Recorded)
    return;
  spdlog::error("giving up submission={} verdict=JE worker={} reason={}", claim.submission_id,
                config_.worker_id, reason);
  metrics_.inc(kProcessedMetric, "outcome=\"dead_lettered\"");
  metrics_.inc(kVerdictsMetric, "verdict=\"JE\"");
  queue_.push_dead_letter(
      {claim.submission_id, contest_id, reason, config_.worker_id, claim.failures + 1});
}

Judged Slot::judge_claimed(int64_t submission_id, int attempt) {
  Judged out;
  core::Judgement& j = out.judgement;
  j.submission_id = submission_id;
  j.attempt = attempt;
  j.judged_by = config_.worker_id;
  j.start_ms = core::now_ms();
  try {
    const auto started = Clock::now();
    auto submission = core::SubmissionStore(store_).submission(submission_id);
    auto problem = submission ? core::ContestReads(store_).problem(submission->contest_id,
                                                                   submission->problem_id)
                              : std::nullopt;
    if (!submission || !problem) throw std::runtime_error("submission or problem vanished");
    const core::Language* lang = requests_.language(submission->language_id);
    if (!lang) throw std::runtime_error("unknown language " + submission->language_id);
    out.phases.load = ms_since(started);
    judge_loaded(*submission, *problem, *lang, out);
  } catch (const core::StoreError&) {
    throw;  // Postgres is down: the lease will expire and the submission comes back.
  } catch (const std::exception& e) {
    out.internal_error = e.what();
  }
  return out;
}

// Judges a submission whose rows are loaded; throws on an internal error.
void Slot::judge_loaded(const core::Submission& submission, const core::Problem& problem,
                        const core::Language& lang, Judged& out) {
  BoxSources sources = box_sources(lang, submission);
  judge::JudgeOutcome outcome;
  if (sources.error.empty()) {
    PrepareTimes prepared;
    auto request = requests_.build(submission, problem, lang, std::move(sources), prepared);
    out.phases.testdata = prepared.testdata_ms;
    out.phases.setup = prepared.setup_ms;
    outcome = judge::judge_submission(runner_, request);
    out.phases.judge = outcome.timing;
  } else {
    outcome.verdict = domain::Verdict::CE;  // Checked at submit time; a row edited since.
    outcome.compile_output = sources.error + "\n";
  }
  if (outcome.compile_cached)
    spdlog::debug("compile cache hit submission={} worker={}", submission.id, config_.worker_id);
  // A JE from the problem's validator is final (it would fail again); any other is retried.
  const bool validator_je =
      !outcome.validator_error.empty() ||
      (!outcome.tests.empty() && outcome.tests.back().verdict == domain::Verdict::JE);
  if (outcome.verdict == domain::Verdict::JE && !validator_je)
    throw std::runtime_error("the judge could not classify a run");
  core::Judgement& j = out.judgement;
  j.verdict = outcome.verdict;
  j.compile_output = outcome.compile_output;
  if (!outcome.validator_error.empty()) j.compile_output = outcome.validator_error;
  if (outcome.max_run_ms) j.max_run_time_ms = static_cast<int>(*outcome.max_run_ms);
  j.score = outcome.score;
  for (const auto& t : outcome.tests)
    j.runs.push_back(
        {t.ordinal, t.test_id, t.verdict, static_cast<int>(t.cpu_ms), static_cast<int>(t.wall_ms),
         t.memory_kib, 0,
         t.verdict == domain::Verdict::JE ? t.message + "\n" + t.judge_message : t.judge_message});
}

}  // namespace

void describe_metrics(core::Metrics& metrics) {
  metrics.describe(
      kProcessedMetric, "counter",
      "Queue items handled, by outcome: judged, retried, dead_lettered, lease_lost, "
      "skipped (duplicate or stale item), dropped (garbage), put_back (may stand for a "
      "language this worker does not judge).");
  metrics.describe(kVerdictsMetric, "counter", "Judgements recorded, by verdict.");
  metrics.describe(kJudgeSecondsMetric, "histogram", "Time to judge one submission, seconds.",
                   {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120});
  metrics.describe(kQueueWaitMetric, "histogram", "Time from (re)queueing to the claim, seconds.",
                   {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300});
  metrics.describe(kBusySlotsMetric, "gauge", "Slots judging a submission right now.");
  metrics.describe(kPhaseMetric, "histogram",
                   "Where a judged submission's time went in the worker, seconds, by phase: "
                   "claim, load (rows), testdata, setup (box dirs), compile (or cache hit), runs "
                   "(sandbox), compare (output check or validator), record.",
                   {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30});
  metrics.describe(kCompileCacheMetric, "counter",
                   "Compile cache lookups, by result: hit (not compiled), miss, corrupt (entry "
                   "failed its hash check, removed and compiled again).");
  metrics.describe(kLanguageReadyMetric, "gauge",
                   "1 when the language passed this worker's self-test at start (only those are "
                   "claimed), else 0.");
  metrics.describe(kSandboxInfoMetric, "gauge",
                   "1, labelled with the cgroup setup (v1 or v2) and kernel release the sandbox "
                   "self-check ran on at start (a worker whose limits do not apply refuses to "
                   "start).");
  metrics.set(kBusySlotsMetric, "", 0);
  describe_sweeper_metrics(metrics);
}

namespace {

// After the grace period: what is still judging goes back to the queue at once (not after the
// lease), through fresh connections because the slots' own are busy.
void release_in_hand(const WorkerConfig& config, const core::RedisAddress& redis,
                     std::vector<std::unique_ptr<Slot>>& slots) {
  core::Store store(config.database_url);
  core::Queue queue(redis);
  for (auto& slot : slots) {
    auto held = slot->in_hand();
    if (!held) continue;
    try {
      if (core::JudgingStore(store).release(held->submission_id, held->attempt)) {
        queue.push({held->submission_id, held->contest_id, held->rejudge});
        spdlog::warn("grace period over: released submission={} attempt={}", held->submission_id,
                     held->attempt);
      }
    } catch (const std::exception& e) {
      spdlog::error("cannot release submission={} (its lease will expire): {}", held->submission_id,
                    e.what());
    }
  }
}

bool all_finished(const std::vector<std::unique_ptr<Slot>>& slots) {
  for (const auto& slot : slots)
    if (!slot->finished()) return false;
  return true;
}

// Every slot has either stopped or holds a claimed submission: none is between a pop and its
// claim, where an item taken from Redis would be lost with the process (an idle slot's BRPOP
// could even take the very item a release just pushed).
bool all_settled(const std::vector<std::unique_ptr<Slot>>& slots) {
  for (const auto& slot : slots)
    if (!slot->finished() && !slot->in_hand()) return false;
  return true;
}

}  // namespace

WorkerExit run_worker(const WorkerConfig& config, const std::atomic<bool>& stop,
                      core::Metrics& metrics) {
  auto redis = core::parse_redis_url(config.redis_url);
  if (!redis) {
    spdlog::error("REDIS_URL is not redis://host[:port][/db]: {}", config.redis_url);
    return {2, false};
  }
  // First, and without Postgres: the toolchains' self-tests and all judging rely on the limits.
  if (!sandbox_fit(config, metrics)) return {kExitSandboxUnfit, false};
  // Leaked with the slots when they are abandoned (below): they use it until the process ends.
  auto ready = ready_languages(config, stop, metrics);
  if (!ready) return {0, false};  // Stopped before the languages could be read.
  auto caches = std::make_unique<Caches>(config, metrics);
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < config.slots; ++i)
    slots.push_back(std::make_unique<Slot>(config, i, *redis, metrics, *caches, *ready));
  std::vector<std::thread> threads;
  for (auto& slot : slots) threads.emplace_back([&slot, &stop] { slot->run(stop); });
  Sweeper sweeper(config, *redis, metrics);
  sweeper.start();

  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("stopping: no more pops, grace_s={} for the submissions in hand",
               config.grace_seconds);
  sweeper.stop();
  const auto deadline = Clock::now() + std::chrono::seconds(config.grace_seconds);
  while (!all_finished(slots) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (all_finished(slots)) {
    for (auto& t : threads) t.join();
    return {0, false};
  }
  // Idle slots leave their loop within one pop timeout; wait for that before releasing.
  const auto settle_deadline = Clock::now() + 2 * kPopTimeout + std::chrono::seconds(1);
  while (!all_settled(slots) && Clock::now() < settle_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  release_in_hand(config, *redis, slots);
  for (auto& t : threads) t.detach();
  // The detached threads still use the slots until the process ends: leak them on purpose.
  new std::vector<std::unique_ptr<Slot>>(std::move(slots));
  caches.release();
  return {0, true};
}

}  // namespace workers
