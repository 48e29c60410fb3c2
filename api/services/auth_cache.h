// A small cache of successful HTTP Basic authentications, so that argon2 does not run on every
// request of a CLICS tool. Keyed by sha256 of the whole Authorization header (never the
// password itself); entries expire after a short TTL so password changes and role changes
// take effect quickly. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/access.h"

namespace api {

class BasicAuthCache {
 public:
  static constexpr int64_t kDefaultTtlMs = 60'000;
  static constexpr size_t kDefaultCapacity = 10'000;

  explicit BasicAuthCache(int64_t ttl_ms = kDefaultTtlMs, size_t capacity = kDefaultCapacity)
      : ttl_ms_(ttl_ms), capacity_(capacity) {}

  std::optional<Caller> find(const std::string& key, int64_t now_ms);
  // When full, expired entries are dropped; if still full, everything is (simple and bounded).
  void insert(const std::string& key, const Caller& caller, int64_t now_ms);

 private:
  struct Entry {
    Caller caller;
    int64_t expires_ms = 0;
  };
  int64_t ttl_ms_;
  size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace api
