// Readable judge and sandbox enums in gtest failure messages (found by ADL).
#pragma once

#include <ostream>

#include "judge/verdict.h"
#include "sandbox/sandbox.h"

namespace judge {
inline void PrintTo(Verdict verdict, std::ostream* os) { *os << to_string(verdict); }
}  // namespace judge

namespace sandbox {
inline void PrintTo(LimitHit limit, std::ostream* os) { *os << to_string(limit); }
}  // namespace sandbox
