#include "core/archive_names.h"

#include "core/text.h"

namespace core {

bool is_safe_archive_name(std::string_view name, size_t max_bytes) {
  if (name.empty() || name.size() > max_bytes || !is_valid_utf8(name)) return false;
  if (name.back() == '/') name.remove_suffix(1);
  if (name.empty() || name.front() == '/') return false;
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\' || c == ':') return false;
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace core
