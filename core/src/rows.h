// Private to core/: rows into structs. One generic reader, and each struct's mapping written
// once, for the column order of the statements that select it (named beside each mapping).
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/scoreboard.h"

namespace core {

// Every row of `rows` through from_row, in order.
template <typename T>
std::vector<T> read_rows(const pqxx::result& rows, T (*from_row)(const pqxx::row&)) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(from_row(row));
  return out;
}

// The first row through from_row; nothing when there is none (an unknown id).
template <typename T>
std::optional<T> read_first(const pqxx::result& rows, T (*from_row)(const pqxx::row&)) {
  if (rows.empty()) return std::nullopt;
  return from_row(rows[0]);
}

// Nullable columns.
std::optional<int64_t> opt_int(const pqxx::field& f);
std::optional<std::string> opt_text(const pqxx::field& f);
std::optional<double> opt_double(const pqxx::field& f);
// A verdict column (a CLICS id); an id this judge does not serve is a StoreError.
Verdict verdict_from(const pqxx::field& f);
std::optional<Verdict> opt_verdict(const pqxx::field& f);
// A JSON array of strings (array_to_json(...)::text); NULL: empty.
std::vector<std::string> json_strings(const pqxx::field& f);

// Statements "contests" and "contest_with_changes" (contest_reads.cc).
Contest contest_from(const pqxx::row& r);
// "scoreboard_submissions" (contest_reads.cc).
ScoreboardSubmission scoreboard_submission_from(const pqxx::row& r);
// "problems" (contest_reads.cc).
Problem problem_from(const pqxx::row& r);
// "teams" (contest_reads.cc).
Team team_from(const pqxx::row& r);
// "organizations", "groups" (contest_reads.cc).
Organization organization_from(const pqxx::row& r);
Group group_from(const pqxx::row& r);
// "languages" (contest_reads.cc); language_at reads the same columns from column `first` on
// ("submission_refs").
Language language_from(const pqxx::row& r);
Language language_at(const pqxx::row& r, int first);
// "submission", "submissions" (submission_store.cc).
Submission submission_from(const pqxx::row& r);
// "judgement", "judgements" (submission_store.cc).
Judgement judgement_from(const pqxx::row& r);
// "contest_runs", "run" (submission_store.cc).
RunInfo run_info_from(const pqxx::row& r);
// "users", "user_by_name" (account_store.cc).
User user_from(const pqxx::row& r);

// The contest in the caller's transaction ("contests", contest_reads.cc); empty: unknown.
std::optional<Contest> read_contest(pqxx::transaction_base& w, const std::string& contest_id);

}  // namespace core
