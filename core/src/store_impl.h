// Private to core/: the connection behind Store, the statement tables of the persistence parts
// and the transaction helpers they all run their statements through.
#pragma once

#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "core/store.h"

namespace core {

#define MS(col) "(extract(epoch from " col ") * 1000)::bigint"

// A named prepared statement. Each part defines its own in its .cc; the names share one
// namespace (the connection's), and a part may run another part's statement by name.
struct Statement {
  const char* name;
  const char* sql;
};
using Statements = std::span<const Statement>;

// The parts' tables, prepared by Store::Impl::conn() after every (re)connect.
extern const Statements kConnectionStatements;   // store.cc
extern const Statements kJudgingStatements;      // judging_store.cc
extern const Statements kProblemDataStatements;  // problem_data.cc
extern const Statements kSubmissionStatements;   // submission_store.cc
extern const Statements kContestReadStatements;  // contest_reads.cc
extern const Statements kSetupStatements;        // setup_store.cc
extern const Statements kEventStatements;        // event_log.cc
extern const Statements kAccountStatements;      // account_store.cc
extern const Statements kClarificationStatements;  // clarification_store.cc

struct Store::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> connection;
  bool leading = false;  // Holds the sweeper lock on `connection` (judging_store.cc).

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
// serves only durable events (EventLog::events).
template <typename Body>
auto in_event_transaction(Store::Impl& impl, const char* operation, Body&& body) {
  auto result = in_async_transaction(impl, operation, body);
  make_durable(impl, operation);
  return result;
}

// Nullable text parameter for exec_prepared (libpqxx 6 has no std::optional support).
inline const char* nullable(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

// A number as a nullable text parameter.
inline std::optional<std::string> opt_number(const std::optional<int64_t>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

// A double as exact text for a numeric parameter (%.17g round-trips).
std::optional<std::string> score_text(const std::optional<double>& value);

}  // namespace core
