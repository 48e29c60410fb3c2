// Event feed tokens (since_token, X-Event-Token, each feed line's "token"): opaque names of event
// ids. Event ids are one sequence for all contests and callers, so raw ids would let a client
// count the events it may not see (other teams' submissions during the freeze) from the gaps
// between the ones it sees. A token is a keyed pseudorandom permutation of the id instead; only
// the API, which holds the key, can turn it back.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace api {

class EventTokens {
 public:
  // The key is derived from `secret` (the JWT secret) under a label of its own, so every API
  // process of a deployment names events alike and the token key never equals the JWT key.
  explicit EventTokens(std::string_view secret);

  // kTokenChars lowercase hex digits. event_id in [1, kMaxEventId].
  std::string encode(int64_t event_id) const;
  // The event id of a token made with this key; nullopt for anything else (wrong length or
  // characters, or a value that is no event id: most tokens of another key).
  std::optional<int64_t> decode(std::string_view token) const;

  static constexpr size_t kTokenChars = 16;
  // Ids decode only up to 2^48 - 1 (a bigserial will not get there): a token forged or made
  // with another key is refused before any lookup, except with a chance of 2^-16.
  static constexpr int64_t kMaxEventId = (int64_t{1} << 48) - 1;

 private:
  uint32_t round(int index, uint32_t half) const;
  uint64_t permute(uint64_t value) const;
  uint64_t unpermute(uint64_t value) const;

  std::array<unsigned char, 16> key_{};  // crypto_shorthash_KEYBYTES
};

}  // namespace api
