// Store: the recovery side of the lease protocol (DESIGN.md "Submission state machine"): the fair
// claim, retries after internal errors, and the sweeper's re-queueing under a leader lock.
#include "core/store.h"
#include "store_impl.h"

#include <limits>

namespace core {
namespace {

constexpr int64_t kSweeperLock = 0x7377656570;  // "sweep"
// claim_next ranks the first this many queued submissions of each team (see there).
constexpr int kClaimTurns = 4;

std::vector<QueueRef> queue_refs(const pqxx::result& rows) {
  std::vector<QueueRef> out;
  for (const auto& r : rows) out.push_back({r[0].as<int64_t>(), r[1].c_str(), r[2].as<bool>()});
  return out;
}

}  // namespace

std::optional<Claim> Store::claim_next(const std::string& contest_id, const std::string& worker_id,
                                       int lease_seconds,
                                       const std::optional<std::vector<std::string>>& languages) {
  // A claim lost in a crash of Postgres leaves its submission queued: the worker's result is then
  // refused by the attempt fence and the submission judged again.
  return in_async_transaction(*impl_, "claim_next", [&](pqxx::work& w) -> std::optional<Claim> {
    // Each team's first few queued submissions are the candidates; all of them only when those
    // are locked by concurrent claimers (or none is claimable), so no claimable one is missed.
    const auto list = language_list(languages);
    auto rows = w.exec_prepared("claim_next", contest_id, worker_id, lease_seconds,
                                nullable(list), kClaimTurns);
    if (rows.empty())
      rows = w.exec_prepared("claim_next", contest_id, worker_id, lease_seconds, nullable(list),
                             std::numeric_limits<int>::max());
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Claim{r[0].as<int64_t>(), r[1].as<int>(), r[2].as<int>(), r[3].as<double>()};
  });
}

bool Store::queued_outside_languages(const std::string& contest_id,
                                     const std::optional<int64_t>& submission_id,
                                     const std::vector<std::string>& languages) {
  return in_transaction(*impl_, "queued_outside_languages", [&](pqxx::work& w) {
    std::optional<std::string> id;
    if (submission_id) id = std::to_string(*submission_id);
    return w
        .exec_prepared1("queued_outside_languages", contest_id, nullable(id),
                        *language_list(languages))[0]
        .as<bool>();
  });
}

bool Store::retry_later(int64_t submission_id, int attempt, double delay_seconds) {
  return in_transaction(*impl_, "retry_later", [&](pqxx::work& w) {
    return w.exec_prepared("retry_later", submission_id, attempt, delay_seconds).affected_rows() ==
           1;
  });
}

std::vector<QueueRef> Store::requeue_expired_leases() {
  return in_transaction(*impl_, "requeue_expired",
                        [](pqxx::work& w) { return queue_refs(w.exec_prepared("requeue_expired")); });
}

std::vector<QueueRef> Store::requeue_unclaimed(int stale_seconds) {
  return in_transaction(*impl_, "requeue_unclaimed", [&](pqxx::work& w) {
    return queue_refs(w.exec_prepared("requeue_unclaimed", stale_seconds));
  });
}

std::vector<QueueRef> Store::rejudge(const std::string& contest_id,
                                     const std::vector<int64_t>& ids,
                                     const std::optional<std::string>& problem_id) {
  std::string array = "{";
  for (size_t i = 0; i < ids.size(); ++i) array += (i ? "," : "") + std::to_string(ids[i]);
  array += "}";
  return in_transaction(*impl_, "rejudge", [&](pqxx::work& w) {
    return queue_refs(w.exec_prepared("rejudge", contest_id, array, nullable(problem_id)));
  });
}

bool Store::lead_sweeper() {
  // A session lock, held until this connection closes: outside any transaction on purpose.
  // A leader asks the server every time: a connection that died (Postgres restarted, the
  // backend was killed) took the lock with it, and libpq only notices on the next query.
  try {
    pqxx::nontransaction n(impl_->conn());
    if (impl_->leading) impl_->leading = n.exec_prepared1("holds_lock", kSweeperLock)[0].as<bool>();
    if (!impl_->leading) impl_->leading = n.exec_prepared1("try_lock", kSweeperLock)[0].as<bool>();
  } catch (const pqxx::broken_connection& e) {
    impl_->reset();
    throw StoreError(std::string("lead_sweeper: connection lost: ") + e.what());
  } catch (const pqxx::failure& e) {
    impl_->reset();
    throw StoreError(std::string("lead_sweeper: ") + e.what());
  }
  return impl_->leading;
}

}  // namespace core
