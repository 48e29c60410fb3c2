// Private to core/: the connection and statement registry behind Store.
#pragma once

#include <pqxx/pqxx>

#include <memory>
#include <string>

#include "core/store.h"

namespace core {

#define MS(col) "(extract(epoch from " col ") * 1000)::bigint"

struct Store::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> connection;

  // The live connection, (re)connecting and preparing every statement when needed.
  pqxx::connection& conn();
  void reset() { connection.reset(); }
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

// Nullable text parameter for exec_prepared (libpqxx 6 has no std::optional support).
inline const char* nullable(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

}  // namespace core
