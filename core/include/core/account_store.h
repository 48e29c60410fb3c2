// AccountStore: user accounts (login, GET accounts, judgectl and the API's POST users).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/store.h"

namespace core {

class AccountStore {
 public:
  explicit AccountStore(Store& store) : db_(store.impl()) {}

  std::vector<User> users();                                      // By username.
  std::optional<User> user_by_name(const std::string& username);  // Empty: unknown.
  // Setup (judgectl, tests): creates or replaces the account.
  void upsert_user(const std::string& username, const std::string& password_hash, Role role,
                   const std::optional<std::string>& team_id);
  // Creation through the API: false (and nothing written) when the username is taken. The team
  // must exist (checked by the caller with team_exists; a foreign-key failure is a StoreError).
  bool insert_user(const std::string& username, const std::string& password_hash, Role role,
                   const std::optional<std::string>& team_id);
  bool team_exists(const std::string& team_id);  // In any contest: what an account may name.

 private:
  Store::Impl& db_;
};

}  // namespace core
