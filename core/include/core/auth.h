// Passwords (argon2id via libsodium) and JWT bearer tokens (HS256, with expiry).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace core {

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& hash);

struct TokenClaims {
  std::string username;
  Role role = Role::Team;
  std::optional<std::string> team_id;
  int64_t expires_at = 0;  // Unix seconds.
};

std::string sign_token(const TokenClaims& claims, std::string_view secret);
// Empty when the token is malformed, not HS256, badly signed or expired at now_seconds.
std::optional<TokenClaims> verify_token(std::string_view token, std::string_view secret,
                                        int64_t now_seconds);

std::string random_hex(size_t bytes);

// a == b in a time that tells nothing about where they differ or how long the secret is.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace core
