// JUDGE_TEST_TIME_SCALE: the time limits that tests give the sandbox are multiplied by it.
// scripts/cgroup2-test sets it for its guest, where software emulation runs everything several
// times slower; what is checked stays the same. 1 when unset.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

namespace testenv {

inline int64_t time_scale() {
  const char* text = std::getenv("JUDGE_TEST_TIME_SCALE");
  if (text == nullptr || *text == '\0') return 1;
  const long value = std::strtol(text, nullptr, 10);
  return value >= 1 ? value : 1;
}

inline int64_t scaled_ms(int64_t ms) { return ms * time_scale(); }

}  // namespace testenv
