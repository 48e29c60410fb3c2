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

// Runs body(work) in one transaction and commits; converts libpq failures to StoreError naming
// the operation, dropping a broken connection so the next call reconnects.
template <typename Body>
auto in_transaction(Store::Impl& impl, const char* operation, Body&& body) {
  try {
    pqxx::work work(impl.conn());
    if constexpr (std::is_void_v<decltype(body(work))>) {
      body(work);
      work.commit();
    } else {
      auto result = body(work);
      work.commit();
      return result;
    }
  } catch (const pqxx::broken_connection& e) {
    impl.reset();
    throw StoreError(std::string(operation) + ": connection lost: " + e.what());
  } catch (const pqxx::sql_error& e) {
    throw StoreError(std::string(operation) + ": " + e.sqlstate() + " " + e.what());
  } catch (const pqxx::failure& e) {
    impl.reset();
    throw StoreError(std::string(operation) + ": " + e.what());
  }
}

// Runs one read-only statement's body without BEGIN/COMMIT (one round trip instead of three):
// a single statement sees one snapshot by itself. Errors as in in_transaction.
template <typename Body>
auto in_read(Store::Impl& impl, const char* operation, Body&& body) {
  try {
    pqxx::nontransaction work(impl.conn());
    return body(work);
  } catch (const pqxx::broken_connection& e) {
    impl.reset();
    throw StoreError(std::string(operation) + ": connection lost: " + e.what());
  } catch (const pqxx::sql_error& e) {
    throw StoreError(std::string(operation) + ": " + e.sqlstate() + " " + e.what());
  } catch (const pqxx::failure& e) {
    impl.reset();
    throw StoreError(std::string(operation) + ": " + e.what());
  }
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
