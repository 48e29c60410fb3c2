// Store: one Postgres connection with every statement of the system prepared on it.
//
// The persistence is split by who uses it, each part a small view over one Store with its
// statements beside its code (core/src/<part>.cc), all prepared on every (re)connect:
//   judging_store.h     the lease protocol, the sweeper, rejudges and THE record_judgement
//   problem_data.h      what a judge reads of a problem: test cases, blobs, validator, groups
//   submission_store.h  submissions (the contestant's write) and their judgements and runs
//   contest_reads.h     the contest objects the API serves and the scoreboard's inputs
//   setup_store.h       contest setup writes (judgectl, the jury's API, tests)
//   event_log.h         the event feed outbox
//   account_store.h     user accounts
// A part costs nothing to make: `core::JudgingStore judging(store);`.
//
// One Store = one connection; use one per thread. Infrastructure failures throw StoreError
// (subclass of std::runtime_error) carrying the statement name; callers catch at the request,
// loop or transaction boundary. Expected outcomes (not found, lost lease) are return values.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace core {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Postgres refused a value (SQLSTATE class 22: text that is not UTF-8 or holds a NUL, a number
// out of range): the input's fault, not the database's. Callers check input before it gets
// here; this keeps a missed check from looking like an outage (and the connection stays).
struct StoreInputError : StoreError {
  using StoreError::StoreError;
};

class Store {
 public:
  explicit Store(const std::string& database_url);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  bool ping();  // Reconnects if needed; false when Postgres is unreachable.

  struct Impl;  // Defined in core/src/store_impl.h: what the parts run their statements on.
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);

}  // namespace core
