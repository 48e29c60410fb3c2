// Private to core/: the connection and statement registry behind Store.
#pragma once

#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/store.h"

namespace core {

#define MS(col) "(extract(epoch from " col ") * 1000)::bigint"

struct Store::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> connection;
  bool leading = false;  // Holds the sweeper lock on `connection` (store_recovery.cc).

  // The live connection, (re)connecting and preparing every statement when needed.
  pqxx::connection& conn();
  void reset() {
    connection.reset();
    leading = false;
  }
};

// Runs fn() converting libpq failures to StoreError naming the operation, and dropping a broken
// connection so the next call reconnects.
template <typename Fn>
auto translating_failures(Store::Impl& impl, const char* operation, Fn&& fn) {
  try {
    return fn();
  } catch (const pqxx::broken_connection& e) {
    impl.reset();
    throw StoreError(std::string(operation) + ": connection lost: " + e.what());
  } catch (const pqxx::data_exception& e) {
    throw StoreInputError(std::string(operation) + ": " + e.sqlstate() + " " + e.what());
  } catch (const pqxx::sql_error& e) {
    throw StoreError(std::string(operation) + ": " + e.sqlstate() + " " + e.what());
  } catch (const pqxx::failure& e) {
    impl.reset();
    throw StoreError(std::string(operation) + ": " + e.what());
  }
}

// Runs body(work) in one transaction and commits.
template <typename Body>
auto in_transaction(Store::Impl& impl, const char* operation, Body&& body) {
  return translating_failures(impl, operation, [&] {
    pqxx::work work(impl.conn());
    if constexpr (std::is_void_v<decltype(body(work))>) {
      body(work);
      work.commit();
    } else {
      auto result = body(work);
      work.commit();
      return result;
    }
  });
}

// Reads that need no snapshot across statements: no BEGIN and COMMIT round trips (a worker
// reads four of these per submission).
template <typename Body>
auto in_read(Store::Impl& impl, const char* operation, Body&& body) {
  return translating_failures(impl, operation, [&] {
    pqxx::nontransaction read(impl.conn());
    return body(read);
  });
}

// Waits until everything this connection committed is on disk: a synchronous one-row write
// (this connection's row in durability_marks) whose WAL flush covers every earlier record.
void make_durable(Store::Impl& impl, const char* operation);

// A transaction whose commit does not wait for the disk: for writes whose loss in a crash of
// Postgres the protocol recovers (a claim, a worker's verdict: the lease expires and the
// submission is judged again, as when a worker dies).
template <typename Body>
auto in_async_transaction(Store::Impl& impl, const char* operation, Body&& body) {
  return in_transaction(impl, operation, [&](pqxx::work& w) {
    w.exec0("SET LOCAL synchronous_commit = off");
    return body(w);
  });
}

// For writers that emit events and must not be lost once acknowledged (a new submission, the
// jury's verdict). They hold the contest's event lock from their first event to their commit;
// a synchronous commit would hold it through the fsync (one writer per fsync per contest, 250
// writes/s on a 4 ms disk). They commit asynchronously, releasing the lock at once, then
// make_durable: the caller learns of success only after the flush, which concurrent writers
// share. Readers may see the write a few milliseconds before it is durable; the event feed
// serves only durable events (Store::events).
template <typename Body>
auto in_event_transaction(Store::Impl& impl, const char* operation, Body&& body) {
  auto result = in_async_transaction(impl, operation, body);
  make_durable(impl, operation);
  return result;
}

// Row readers for the statements of kStatements (store.cc).
Contest contest_from(const pqxx::row& r);
Problem problem_from(const pqxx::row& r);
Team team_from(const pqxx::row& r);
User user_from(const pqxx::row& r);
Submission submission_from(const pqxx::row& r);
Judgement judgement_from(const pqxx::row& r);
std::vector<Run> runs_of(pqxx::work& w, int64_t judgement_id);
std::optional<Contest> read_contest(pqxx::work& w, const std::string& contest_id);
// Scored problems and jury submissions (store_scoring.cc), in the problem's transaction.
void write_groups(pqxx::work& w, const NewProblem& n);
void write_jury_submissions(pqxx::work& w, const NewProblem& n);

// The event outbox (store_events.cc). Each writer appends, in the caller's transaction, the
// object as a GET would serve it now, so the feed and the REST endpoints never disagree.
void emit(pqxx::work& w, const std::string& contest_id, const char* type,
          const std::optional<std::string>& object_id, const nlohmann::json& data,
          const std::optional<std::string>& team_id = std::nullopt);
// Global objects (organizations, groups) appear in every contest's feed.
void emit_everywhere(pqxx::work& w, const char* type, const std::string& object_id,
                     const nlohmann::json& data);
// The contest object and, when it changed, its state; on first sight also the judgement types
// and languages, which every feed starts with.
void emit_contest(pqxx::work& w, const std::string& contest_id);
void emit_problem(pqxx::work& w, const std::string& contest_id, const std::string& problem_id);
void emit_team(pqxx::work& w, const std::string& contest_id, const std::string& team_id);
// A finished judgement and its runs, visible to the submitting team and the jury.
void emit_judgement(pqxx::work& w, const Judgement& judgement, const std::string& team_id);
// A judgement that a new one just replaced, now with current = false (its runs are unchanged).
void emit_replaced_judgement(pqxx::work& w, int64_t judgement_id, const std::string& team_id);

// A language filter as the claim statements take it: comma-joined ids, or none (all).
inline std::optional<std::string> language_list(
    const std::optional<std::vector<std::string>>& languages) {
  if (!languages) return std::nullopt;
  std::string joined;
  for (const auto& id : *languages) joined += (joined.empty() ? "" : ",") + id;
  return joined;
}

// Nullable text parameter for exec_prepared (libpqxx 6 has no std::optional support).
inline const char* nullable(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

// A double as exact text for a numeric parameter (%.17g round-trips).
std::optional<std::string> score_text(const std::optional<double>& value);

}  // namespace core
