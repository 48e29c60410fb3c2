#include "core/ids.h"

namespace core {
namespace {

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

}  // namespace

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  if (id.front() == '-' || id.front() == '.') return false;
  for (char c : id) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

}  // namespace core
