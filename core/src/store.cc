// Store: the connection, and the statement tables of every persistence part prepared on it.
#include "core/store.h"

#include <sodium.h>

#include <cstdio>

#include "store_impl.h"

namespace core {
namespace {

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    // make_durable's synchronous write.
    {"durability_mark",
     "INSERT INTO durability_marks (pid, marks) VALUES (pg_backend_pid(), 1) ON CONFLICT (pid) "
     "DO UPDATE SET marks = durability_marks.marks + 1"},
};
// clang-format on

}  // namespace

const Statements kConnectionStatements = kStatements;

pqxx::connection& Store::Impl::conn() {
  if (connection && connection->is_open()) return *connection;
  try {
    connection = std::make_unique<pqxx::connection>(url);
    // A name defined twice with different SQL makes pqxx throw here: no part can shadow another.
    for (Statements table : {kConnectionStatements, kJudgingStatements, kProblemDataStatements,
                             kSubmissionStatements, kContestReadStatements, kSetupStatements,
                             kEventStatements, kAccountStatements, kClarificationStatements}) {
      for (const auto& [name, sql] : table) connection->prepare(name, sql);
    }
  } catch (const std::exception& e) {
    connection.reset();
    throw StoreError(std::string("cannot connect to Postgres: ") + e.what());
  }
  return *connection;
}

void make_durable(Store::Impl& impl, const char* operation) {
  translating_failures(impl, operation, [&] {
    pqxx::nontransaction(impl.conn()).exec_prepared0("durability_mark");
  });
}

std::optional<std::string> score_text(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", *value);
  return std::string(text);
}

Store::Store(const std::string& database_url) : impl_(std::make_unique<Impl>()) {
  impl_->url = database_url;
}
Store::~Store() = default;

bool Store::ping() {
  try {
    in_transaction(*impl_, "ping", [](pqxx::work& w) { w.exec("SELECT 1"); });
    return true;
  } catch (const StoreError&) {
    return false;
  }
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace core
