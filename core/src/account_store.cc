// AccountStore: user accounts (account_store.h).
#include "core/account_store.h"

#include "core/clics.h"
#include "event_emit.h"
#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"users", "SELECT id, username, password_hash, role, team_id FROM users ORDER BY username"},
    {"user_by_name", "SELECT id, username, password_hash, role, team_id FROM users WHERE username = $1"},
    {"upsert_user",
     "INSERT INTO users (username, password_hash, role, team_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, "
     "role = excluded.role, team_id = excluded.team_id"},
    {"insert_user",
     "INSERT INTO users (username, password_hash, role, team_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (username) DO NOTHING"},
    {"team_exists", "SELECT 1 FROM teams WHERE id = $1"},
};
// clang-format on

// Accounts are global: their event goes to every contest's feed (the admin's only).
void emit_account(pqxx::work& w, const std::string& username) {
  if (auto user = read_first(w.exec_prepared("user_by_name", username), user_from))
    emit_everywhere(w, "accounts", username, account_json(*user));
}

}  // namespace

const Statements kAccountStatements = kStatements;

std::vector<User> AccountStore::users() {
  return in_transaction(
      db_, "users", [](pqxx::work& w) { return read_rows(w.exec_prepared("users"), user_from); });
}

std::optional<User> AccountStore::user_by_name(const std::string& username) {
  return in_transaction(db_, "user_by_name", [&](pqxx::work& w) {
    return read_first(w.exec_prepared("user_by_name", username), user_from);
  });
}

void AccountStore::upsert_user(const std::string& username, const std::string& password_hash,
                               Role role, const std::optional<std::string>& team_id) {
  in_transaction(db_, "upsert_user", [&](pqxx::work& w) {
    w.exec_prepared("upsert_user", username, password_hash, to_string(role), nullable(team_id));
    emit_account(w, username);
  });
}

// ON CONFLICT DO NOTHING affects no row when the username exists: that is the conflict signal,
// and it stays correct under concurrent creation (unlike a read-then-insert).
bool AccountStore::insert_user(const std::string& username, const std::string& password_hash,
                               Role role, const std::optional<std::string>& team_id) {
  return in_transaction(db_, "insert_user", [&](pqxx::work& w) {
    if (w.exec_prepared("insert_user", username, password_hash, to_string(role), nullable(team_id))
            .affected_rows() != 1)
      return false;
    emit_account(w, username);
    return true;
  });
}

bool AccountStore::team_exists(const std::string& team_id) {
  return in_transaction(db_, "team_exists", [&](pqxx::work& w) {
    return !w.exec_prepared("team_exists", team_id).empty();
  });
}

}  // namespace core
