// JudgingStore: the lease protocol (DESIGN.md "Submission state machine"), the fair claim,
// retries after internal errors, the sweeper's re-queueing under a leader lock, rejudges and
// the one record_judgement.
#include "core/judging_store.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "event_emit.h"
#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// A submission with a current judgement is a rejudge: it is pushed to the rejudge list.
#define HAS_CURRENT_JUDGEMENT \
  "EXISTS (SELECT 1 FROM judgements j WHERE j.submission_id = submissions.id AND j.is_current)"

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"claim",
     "UPDATE submissions SET state = 'judging', attempt = attempt + 1, lease_owner = $2, "
     "lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND contest_id = $4 AND "
     "state = 'queued' AND ($5::text IS NULL OR language_id = ANY(string_to_array($5, ','))) "
     "RETURNING id, attempt, failures, extract(epoch from now() - queued_at)::float8"},
    // Fair claim: among the contest's claimable queued submissions (never judged: a rejudge is
    // claimed by its own item from the rejudge list), each team's oldest first
    // (turn: the team's n-th queued one), and among the teams' first ones the least recently
    // served team first: the team whose newest judgement is oldest (team_served, kept by a
    // trigger; none yet: first); a submission being judged counts as now. Ordering the first
    // ones by submission time instead would let a team that flooded first hold every turn: its
    // next submission is always older than anyone else's.
    // The current-judgement test is a scalar subquery on purpose: as NOT EXISTS the planner
    // hashed every judgement of the database once the queue was long (54 ms per claim at 1,500
    // queued and 50,000 judged); this way it is one index probe per queued row. Only turns up
    // to $5 are joined and sorted (JudgingStore::claim_next asks for all when those are locked).
    // SKIP LOCKED lets concurrent claimers take different rows.
    {"claim_next",
     "WITH ranked AS (SELECT id, team_id, submitted_at, row_number() OVER (PARTITION BY team_id "
     "ORDER BY submitted_at, id) AS turn FROM submissions q WHERE contest_id = $1 AND "
     "state = 'queued' AND (retry_at IS NULL OR retry_at <= now()) AND ($4::text IS NULL OR "
     "language_id = ANY(string_to_array($4, ','))) AND NOT (SELECT count(*) > 0 "
     "FROM judgements j WHERE j.submission_id = q.id AND j.is_current)), "
     "busy AS (SELECT DISTINCT team_id FROM submissions WHERE contest_id = $1 AND "
     "state = 'judging'), "
     "pick AS (SELECT s.id FROM submissions s JOIN ranked r ON r.id = s.id AND r.turn <= $5 "
     "LEFT JOIN busy b ON "
     "b.team_id = r.team_id LEFT JOIN team_served v ON v.contest_id = $1 AND "
     "v.team_id = r.team_id WHERE s.state = 'queued' ORDER BY r.turn, CASE WHEN b.team_id IS "
     "NOT NULL THEN 9223372036854775807 ELSE v.last_judgement_id END NULLS FIRST, "
     "r.submitted_at, r.id LIMIT 1 FOR UPDATE OF s SKIP LOCKED) "
     "UPDATE submissions SET state = 'judging', attempt = attempt + 1, lease_owner = $2, "
     "lease_until = now() + make_interval(secs => $3) FROM pick WHERE submissions.id = pick.id "
     "RETURNING submissions.id, submissions.attempt, submissions.failures, "
     "extract(epoch from now() - submissions.queued_at)::float8"},
    // Language ids are CLICS ids (no commas): the list travels as one comma-joined text.
    {"queued_outside_languages",
     "SELECT EXISTS (SELECT 1 FROM submissions WHERE contest_id = $1 AND state = 'queued' AND "
     "($2::bigint IS NULL OR id = $2) AND NOT (language_id = ANY(string_to_array($3, ','))))"},
    {"retry_later",
     "UPDATE submissions SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
     "failures = failures + 1, retry_at = now() + make_interval(secs => $3), queued_at = now() "
     "WHERE id = $1 AND state = 'judging' AND attempt = $2"},
    {"requeue_expired",
     "UPDATE submissions SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
     "failures = failures + 1, queued_at = now() WHERE state = 'judging' AND lease_until < now() "
     "RETURNING id, contest_id, " HAS_CURRENT_JUDGEMENT},
    {"requeue_unclaimed",
     "UPDATE submissions SET queued_at = now() WHERE state = 'queued' AND "
     "(retry_at IS NULL OR retry_at <= now()) AND (queued_at <= now() - make_interval(secs => $1) "
     "OR queued_at <= retry_at) RETURNING id, contest_id, " HAS_CURRENT_JUDGEMENT},
    {"rejudge",
     "UPDATE submissions SET state = 'queued', failures = 0, retry_at = NULL, queued_at = now() "
     "WHERE contest_id = $1 AND state = 'judged' AND (id = ANY($2::bigint[]) OR problem_id = $3) "
     "RETURNING id, contest_id, true"},
    {"try_lock", "SELECT pg_try_advisory_lock($1)"},
    // Whether this session still holds the advisory lock $1 (a bigint key is classid:objid).
    {"holds_lock",
     "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
     "pid = pg_backend_pid() AND classid = ($1::bigint >> 32)::oid AND "
     "objid = ($1::bigint & 4294967295)::oid AND objsubid = 1)"},
    {"heartbeat",
     "UPDATE submissions SET lease_until = now() + make_interval(secs => $3) "
     "WHERE id = $1 AND state = 'judging' AND attempt = $2"},
    {"release",
     "UPDATE submissions SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
     "queued_at = now() WHERE id = $1 AND state = 'judging' AND attempt = $2"},
    {"finish_fenced",
     "UPDATE submissions SET state = 'judged', lease_owner = NULL, lease_until = NULL "
     "WHERE id = $1 AND state = 'judging' AND attempt = $2 RETURNING contest_id, attempt, team_id"},
    {"finish_manual",
     "UPDATE submissions SET state = 'judged', attempt = attempt + 1, lease_owner = NULL, "
     "lease_until = NULL WHERE id = $1 RETURNING contest_id, attempt, team_id"},
    {"uncurrent_judgements",
     "UPDATE judgements SET is_current = false WHERE submission_id = $1 AND is_current "
     "RETURNING id"},
    {"insert_judgement",
     "INSERT INTO judgements (submission_id, attempt, verdict, is_manual, judged_by, start_time, "
     "max_run_time_ms, compile_output, score) VALUES ($1, $2, $3, $4, $5, "
     "to_timestamp($6::double precision / 1000), $7, $8, $9) RETURNING id, " MS("end_time")},
    {"insert_run",
     "INSERT INTO runs (judgement_id, ordinal, testcase_id, verdict, cpu_ms, wall_ms, memory_kib, "
     "judge_message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"},
};
// clang-format on

constexpr int64_t kSweeperLock = 0x7377656570;  // "sweep"
// claim_next ranks the first this many queued submissions of each team (see there).
constexpr int kClaimTurns = 4;

// A language filter as the claim statements take it: comma-joined ids, or none (all).
std::optional<std::string> language_list(const std::optional<std::vector<std::string>>& languages) {
  if (!languages) return std::nullopt;
  std::string joined;
  for (const auto& id : *languages) joined += (joined.empty() ? "" : ",") + id;
  return joined;
}

// The RETURNING columns of "claim" and "claim_next".
Claim claim_from(const pqxx::row& r) {
  return Claim{r[0].as<int64_t>(), r[1].as<int>(), r[2].as<int>(), r[3].as<double>()};
}

// The RETURNING columns of the re-queueing statements.
QueueRef queue_ref_from(const pqxx::row& r) {
  return {r[0].as<int64_t>(), r[1].c_str(), r[2].as<bool>()};
}

// The submission events of submissions queued again. Contest by contest in id order, as every
// writer that takes several contests' event locks does (emit_everywhere), so none deadlock.
void emit_requeued(pqxx::work& w, std::vector<QueueRef> refs) {
  std::sort(refs.begin(), refs.end(), [](const QueueRef& a, const QueueRef& b) {
    return std::tie(a.contest_id, a.submission_id) < std::tie(b.contest_id, b.submission_id);
  });
  for (const auto& ref : refs) emit_submission(w, ref.submission_id);
}

// The judgement as recorded: its new id, end time and attempt, current, its runs' ids.
Judgement insert_judgement(pqxx::work& w, const Judgement& j, const Fence& fence,
                           const pqxx::row& finished) {
  if (!j.verdict) throw std::logic_error("record_judgement: the judgement has no verdict");
  Judgement recorded = j;
  recorded.contest_id = finished[0].c_str();
  recorded.attempt = finished[1].as<int>();
  recorded.is_current = true;
  recorded.is_manual = fence.kind == Fence::Kind::Manual;
  std::optional<std::string> max_run;
  if (j.max_run_time_ms) max_run = std::to_string(*j.max_run_time_ms);
  auto row = w.exec_prepared1("insert_judgement", j.submission_id, recorded.attempt,
                              to_string(*j.verdict), recorded.is_manual, j.judged_by, j.start_ms,
                              nullable(max_run), j.compile_output, nullable(score_text(j.score)));
  recorded.id = row[0].as<int64_t>();
  recorded.end_ms = row[1].as<int64_t>();
  for (auto& run : recorded.runs)
    run.id = w.exec_prepared1("insert_run", recorded.id, run.ordinal, run.testcase_id,
                              to_string(run.verdict), run.cpu_ms, run.wall_ms, run.memory_kib,
                              run.judge_message)[0]
                 .as<int64_t>();
  return recorded;
}

}  // namespace

const Statements kJudgingStatements = kStatements;

std::optional<Claim> JudgingStore::claim(int64_t submission_id, const std::string& contest_id,
                                         const std::string& worker_id, int lease_seconds,
                                         const std::optional<std::vector<std::string>>& languages) {
  return in_transaction(db_, "claim", [&](pqxx::work& w) {
    auto claim = read_first(w.exec_prepared("claim", submission_id, worker_id, lease_seconds,
                                            contest_id, nullable(language_list(languages))),
                            claim_from);
    if (claim) emit_submission(w, claim->submission_id);  // judging_state: judging.
    return claim;
  });
}

std::optional<Claim> JudgingStore::claim_next(
    const std::string& contest_id, const std::string& worker_id, int lease_seconds,
    const std::optional<std::vector<std::string>>& languages) {
  // A claim lost in a crash of Postgres leaves its submission queued: the worker's result is then
  // refused by the attempt fence and the submission judged again.
  return in_async_transaction(db_, "claim_next", [&](pqxx::work& w) {
    // Each team's first few queued submissions are the candidates; all of them only when those
    // are locked by concurrent claimers (or none is claimable), so no claimable one is missed.
    const auto list = language_list(languages);
    auto rows = w.exec_prepared("claim_next", contest_id, worker_id, lease_seconds, nullable(list),
                                kClaimTurns);
    if (rows.empty())
      rows = w.exec_prepared("claim_next", contest_id, worker_id, lease_seconds, nullable(list),
                             std::numeric_limits<int>::max());
    auto claim = read_first(rows, claim_from);
    if (claim) emit_submission(w, claim->submission_id);  // judging_state: judging.
    return claim;
  });
}

bool JudgingStore::queued_outside_languages(const std::string& contest_id,
                                            const std::optional<int64_t>& submission_id,
                                            const std::vector<std::string>& languages) {
  return in_transaction(db_, "queued_outside_languages", [&](pqxx::work& w) {
    return w
        .exec_prepared1("queued_outside_languages", contest_id, nullable(opt_number(submission_id)),
                        *language_list(languages))[0]
        .as<bool>();
  });
}

bool JudgingStore::heartbeat(int64_t submission_id, int attempt, int lease_seconds) {
  return in_transaction(db_, "heartbeat", [&](pqxx::work& w) {
    return w.exec_prepared("heartbeat", submission_id, attempt, lease_seconds).affected_rows() == 1;
  });
}

bool JudgingStore::retry_later(int64_t submission_id, int attempt, double delay_seconds) {
  return in_transaction(db_, "retry_later", [&](pqxx::work& w) {
    if (w.exec_prepared("retry_later", submission_id, attempt, delay_seconds).affected_rows() != 1)
      return false;
    emit_submission(w, submission_id);  // Queued again.
    return true;
  });
}

bool JudgingStore::release(int64_t submission_id, int attempt) {
  return in_transaction(db_, "release", [&](pqxx::work& w) {
    if (w.exec_prepared("release", submission_id, attempt).affected_rows() != 1) return false;
    emit_submission(w, submission_id);  // Queued again.
    return true;
  });
}

RecordResult JudgingStore::record_judgement(const Judgement& j, const Fence& fence) {
  auto record = [&](pqxx::work& w) -> RecordResult {
    auto finished = fence.kind == Fence::Kind::Worker
                        ? w.exec_prepared("finish_fenced", j.submission_id, fence.attempt)
                        : w.exec_prepared("finish_manual", j.submission_id);
    if (finished.empty()) {
      bool exists = !w.exec_prepared("submission", j.submission_id).empty();
      return {exists ? RecordStatus::LeaseLost : RecordStatus::NoSuchSubmission, 0};
    }
    std::string team_id = finished[0][2].c_str();
    for (const auto& replaced : w.exec_prepared("uncurrent_judgements", j.submission_id))
      emit_replaced_judgement(w, replaced[0].as<int64_t>(), team_id);
    Judgement recorded = insert_judgement(w, j, fence, finished[0]);
    emit_judgement(w, recorded, team_id);
    emit_submission(w, j.submission_id);  // judging_state: judged.
    return {RecordStatus::Recorded, recorded.id};
  };
  // A worker's verdict lost with Postgres is judged again (its lease expires and the sweeper
  // requeues it, as when a worker dies): it need not wait for the disk. The jury's must.
  if (fence.kind == Fence::Kind::Worker)
    return in_async_transaction(db_, "record_judgement", record);
  return in_event_transaction(db_, "record_judgement", record);
}

std::vector<QueueRef> JudgingStore::requeue_expired_leases() {
  return in_transaction(db_, "requeue_expired", [](pqxx::work& w) {
    auto refs = read_rows(w.exec_prepared("requeue_expired"), queue_ref_from);
    emit_requeued(w, refs);
    return refs;
  });
}

std::vector<QueueRef> JudgingStore::requeue_unclaimed(int stale_seconds) {
  return in_transaction(db_, "requeue_unclaimed", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("requeue_unclaimed", stale_seconds), queue_ref_from);
  });
}

std::vector<QueueRef> JudgingStore::rejudge(const std::string& contest_id,
                                            const std::vector<int64_t>& ids,
                                            const std::optional<std::string>& problem_id) {
  std::string array = "{";
  for (size_t i = 0; i < ids.size(); ++i) array += (i ? "," : "") + std::to_string(ids[i]);
  array += "}";
  return in_transaction(db_, "rejudge", [&](pqxx::work& w) {
    auto refs = read_rows(w.exec_prepared("rejudge", contest_id, array, nullable(problem_id)),
                          queue_ref_from);
    emit_requeued(w, refs);
    return refs;
  });
}

bool JudgingStore::lead_sweeper() {
  // A session lock, held until this connection closes: outside any transaction on purpose.
  // A leader asks the server every time: a connection that died (Postgres restarted, the
  // backend was killed) took the lock with it, and libpq only notices on the next query.
  try {
    pqxx::nontransaction n(db_.conn());
    if (db_.leading) db_.leading = n.exec_prepared1("holds_lock", kSweeperLock)[0].as<bool>();
    if (!db_.leading) db_.leading = n.exec_prepared1("try_lock", kSweeperLock)[0].as<bool>();
  } catch (const pqxx::broken_connection& e) {
    db_.reset();
    throw StoreError(std::string("lead_sweeper: connection lost: ") + e.what());
  } catch (const pqxx::failure& e) {
    db_.reset();
    throw StoreError(std::string("lead_sweeper: ") + e.what());
  }
  return db_.leading;
}

}  // namespace core
