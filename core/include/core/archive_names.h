// Names inside uploaded archives (submission zips, problem packages): what may be unpacked.
#pragma once

#include <cstddef>
#include <string_view>

namespace core {

// A relative UTF-8 path of at most max_bytes without "..", "." or empty components, backslashes, ':'
// (a drive path on Windows, where a jury may unpack it) or control characters: it can never
// name anything outside the folder it is unpacked in. A trailing '/' (a directory) is allowed.
// Check the name as stored (libzip's ZIP_FL_ENC_RAW): libzip's default reading turns a control
// character or a byte that is not UTF-8 into another character (as if the name were CP437).
bool is_safe_archive_name(std::string_view name, size_t max_bytes);

}  // namespace core
