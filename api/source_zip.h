// Submission files as zip archives (CLICS "files"): the one source file taken out of an upload,
// safely, and a zip written back for GET .../submissions/{id}/files. libzip stays in the .cc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "validate.h"

namespace api {

inline constexpr size_t kMaxZipEntries = 64;
inline constexpr size_t kMaxZipNameBytes = 255;

struct SourceFile {
  std::string name;  // Relative path inside the zip, e.g. "main.cpp" or "sol/main.cpp".
  std::string content;
};

// A relative path without "..", "." or empty components, backslashes, drive letters or control
// characters, at most kMaxZipNameBytes: safe to unpack anywhere. A trailing '/' (a directory
// entry) is allowed.
bool is_safe_zip_name(std::string_view name);

// The single regular file of a zip; directory entries are skipped. Errors: 400 not a zip or a
// corrupt entry (CRC, truncated data); 422 more than kMaxZipEntries entries, an unsafe name, an
// encrypted entry, an unsupported compression method, no file or several files, an empty file;
// 413 when the file decompresses to more than max_file_bytes. Sizes are counted while
// decompressing (whatever the header claims) and reading stops at the limit, so a zip bomb
// costs at most max_file_bytes of memory.
Result<SourceFile> read_single_source(std::string_view zip, size_t max_file_bytes);

// A zip holding `file` (deflated). Throws std::runtime_error when libzip fails (out of memory).
std::string zip_single_file(const SourceFile& file);

}  // namespace api
