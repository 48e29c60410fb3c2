// Names inside uploaded archives (submission zips, problem packages): what may be unpacked.
#pragma once

#include <cstddef>
#include <string_view>

namespace core {

// A relative path of at most max_bytes without "..", "." or empty components, backslashes, ':'
// (a drive path on Windows, where a jury may unpack it) or control characters: it can never
// name anything outside the folder it is unpacked in. A trailing '/' (a directory) is allowed.
bool is_safe_archive_name(std::string_view name, size_t max_bytes);

}  // namespace core
