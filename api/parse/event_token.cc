#include "parse/event_token.h"

#include <sodium.h>

#include <stdexcept>

namespace api {
namespace {

// A balanced Feistel network on two 32-bit halves is a permutation of 64-bit values whatever
// its round function; with a keyed PRF (SipHash-2-4) as that function, 4 rounds already make a
// strong pseudorandom permutation up to about 2^16 known values, and more rounds push that
// bound toward 2^32. The rounds cost nanoseconds, so take 8.
constexpr int kRounds = 8;
constexpr char kKeyLabel[] = "judge-api event-feed tokens v1";
constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

EventTokens::EventTokens(std::string_view secret) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  static_assert(sizeof key_ == crypto_shorthash_KEYBYTES);
  // BLAKE2b of the label (with its NUL) then the secret: a domain of its own for this key.
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, key_.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kKeyLabel),
                            sizeof kKeyLabel);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                            secret.size());
  crypto_generichash_final(&state, key_.data(), key_.size());
}

uint32_t EventTokens::round(int index, uint32_t half) const {
  const unsigned char in[5] = {static_cast<unsigned char>(index), static_cast<unsigned char>(half),
                               static_cast<unsigned char>(half >> 8),
                               static_cast<unsigned char>(half >> 16),
                               static_cast<unsigned char>(half >> 24)};
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, in, sizeof in, key_.data());
  return static_cast<uint32_t>(out[0]) | static_cast<uint32_t>(out[1]) << 8 |
         static_cast<uint32_t>(out[2]) << 16 | static_cast<uint32_t>(out[3]) << 24;
}

uint64_t EventTokens::permute(uint64_t value) const {
  uint32_t left = static_cast<uint32_t>(value >> 32), right = static_cast<uint32_t>(value);
  for (int i = 0; i < kRounds; ++i) {
    const uint32_t next = left ^ round(i, right);
    left = right;
    right = next;
  }
  return static_cast<uint64_t>(left) << 32 | right;
}

uint64_t EventTokens::unpermute(uint64_t value) const {
  uint32_t left = static_cast<uint32_t>(value >> 32), right = static_cast<uint32_t>(value);
  for (int i = kRounds - 1; i >= 0; --i) {
    const uint32_t previous = right ^ round(i, left);
    right = left;
    left = previous;
  }
  return static_cast<uint64_t>(left) << 32 | right;
}

std::string EventTokens::encode(int64_t event_id) const {
  uint64_t value = permute(static_cast<uint64_t>(event_id));
  std::string token(kTokenChars, '0');
  for (size_t i = kTokenChars; i-- > 0; value >>= 4) token[i] = kHex[value & 0xf];
  return token;
}

std::optional<int64_t> EventTokens::decode(std::string_view token) const {
  if (token.size() != kTokenChars) return std::nullopt;
  uint64_t value = 0;
  for (char c : token) {
    const int digit = hex_value(c);
    if (digit < 0) return std::nullopt;
    value = value << 4 | static_cast<uint64_t>(digit);
  }
  const uint64_t id = unpermute(value);
  if (id == 0 || id > static_cast<uint64_t>(kMaxEventId)) return std::nullopt;
  return static_cast<int64_t>(id);
}

}  // namespace api
