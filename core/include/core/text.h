// What text may be stored: Postgres refuses invalid UTF-8 and NUL in text columns, and such a
// refusal would look like a database failure. Input is checked with these before it gets there.
#pragma once

#include <string_view>

namespace core {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text);

// Valid UTF-8 without NUL: what a Postgres text column takes.
bool is_storable_text(std::string_view text);

}  // namespace core
