// Shared by the validator: whether values hold each of 1..n exactly once.
#pragma once
#include <vector>

inline bool is_permutation_of_1_to_n(const std::vector<long>& values, long n) {
  if (static_cast<long>(values.size()) != n) return false;
  std::vector<bool> seen(n + 1, false);
  for (long v : values) {
    if (v < 1 || v > n || seen[v]) return false;
    seen[v] = true;
  }
  return true;
}
