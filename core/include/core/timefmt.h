// CLICS time formats: TIME (ISO 8601 with offset, UTC here) and RELTIME (h:mm:ss.uuu).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace core {

int64_t now_ms();
std::string format_time(int64_t epoch_ms);        // 2026-11-22T10:00:00.000+00:00
std::string format_reltime(int64_t duration_ms);  // 5:00:00.000, -0:00:01.500
// Digits only where digits belong (no signs inside fields); empty on anything else.
std::optional<int64_t> parse_time(std::string_view text);     // Accepts Z or +hh:mm offsets.
std::optional<int64_t> parse_reltime(std::string_view text);  // [-]h:mm:ss[.uuu], fits int64

}  // namespace core
