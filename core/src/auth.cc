#include "core/auth.h"

#include <sodium.h>

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

namespace core {
namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string base64url(const unsigned char* data, size_t size) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(out.size() - 1);  // Drop the terminating NUL.
  return out;
}

std::string base64url(std::string_view text) {
  return base64url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

std::optional<std::string> unbase64url(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> hmac(std::string_view message,
                                                            std::string_view secret) {
  crypto_auth_hmacsha256_state state;
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  return mac;
}

const std::string kHeader = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool verify_password(std::string_view password, const std::string& hash) {
  ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string sign_token(const TokenClaims& claims, std::string_view secret) {
  nlohmann::json payload = {
      {"sub", claims.username}, {"role", to_string(claims.role)}, {"exp", claims.expires_at}};
  if (claims.team_id) payload["team"] = *claims.team_id;
  std::string signing_input = base64url(kHeader) + "." + base64url(payload.dump());
  auto mac = hmac(signing_input, secret);
  return signing_input + "." + base64url(mac.data(), mac.size());
}

std::optional<TokenClaims> verify_token(std::string_view token, std::string_view secret,
                                        int64_t now_seconds) {
  ensure_sodium();
  size_t dot1 = token.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  auto header = unbase64url(token.substr(0, dot1));
  auto payload = unbase64url(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = unbase64url(token.substr(dot2 + 1));
  if (!header || !payload || !signature || signature->size() != crypto_auth_hmacsha256_BYTES)
    return std::nullopt;
  auto mac = hmac(token.substr(0, dot2), secret);
  if (crypto_verify_32(mac.data(), reinterpret_cast<const unsigned char*>(signature->data())) != 0)
    return std::nullopt;
  auto h = nlohmann::json::parse(*header, nullptr, false);
  auto p = nlohmann::json::parse(*payload, nullptr, false);
  if (!h.is_object() || h.value("alg", "") != "HS256" || !p.is_object()) return std::nullopt;
  if (!p.contains("sub") || !p["sub"].is_string() || !p.contains("exp") ||
      !p["exp"].is_number_integer() || !p.contains("role") || !p["role"].is_string())
    return std::nullopt;
  auto role = parse_role(p["role"].get<std::string>());
  int64_t exp = p["exp"].get<int64_t>();
  if (!role || exp <= now_seconds) return std::nullopt;
  TokenClaims claims{p["sub"].get<std::string>(), *role, std::nullopt, exp};
  if (p.contains("team") && p["team"].is_string()) claims.team_id = p["team"].get<std::string>();
  return claims;
}

bool equal_secrets(std::string_view a, std::string_view b) {
  ensure_sodium();
  auto digest = [](std::string_view text) {
    std::array<unsigned char, crypto_generichash_BYTES> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), nullptr, 0);
    return out;
  };
  static_assert(crypto_generichash_BYTES == 32);
  return crypto_verify_32(digest(a).data(), digest(b).data()) == 0;
}

std::string random_hex(size_t bytes) {
  ensure_sodium();
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.resize(bytes * 2);
  return hex;
}

}  // namespace core
