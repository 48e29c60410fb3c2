// The rule for CLICS identifiers, shared by the API (path parameters, bodies) and judgectl.
#pragma once

#include <cstddef>
#include <string_view>

namespace core {

inline constexpr size_t kMaxIdLength = 36;

// CLICS identifier: [A-Za-z0-9_.-]{1,36}, not starting with '-' or '.'.
bool is_valid_id(std::string_view id);

}  // namespace core
