// Submission files as zip archives (CLICS "files"): the source files taken out of an upload,
// safely, and a zip written back for GET .../submissions/{id}/files. libzip stays in the .cc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "parse/validate.h"

namespace api {

inline constexpr size_t kMaxZipEntries = 64;
inline constexpr size_t kMaxZipNameBytes = 255;

// A relative path without "..", "." or empty components, backslashes, drive letters or control
// characters, at most kMaxZipNameBytes: safe to unpack anywhere. A trailing '/' (a directory
// entry) is allowed.
bool is_safe_zip_name(std::string_view name);

// Every regular file of a zip, in zip order; directory entries are skipped. Errors: 400 not a zip
// or a corrupt entry (CRC, truncated data); 422 more than kMaxZipEntries entries, an unsafe name,
// an encrypted entry, an unsupported compression method, no file, an empty file, two files with
// the same last path component (they land side by side in the box) or a file name starting with
// '-' (it becomes a compiler argument); 413 when the files together decompress to more than
// max_total_bytes. Sizes are counted while decompressing (whatever the headers claim) and
// reading stops at the limit, so a zip bomb costs at most max_total_bytes of memory.
Result<std::vector<SourceFile>> read_sources(std::string_view zip, size_t max_total_bytes);

// A zip holding `files` (deflated). Throws std::runtime_error when libzip fails (out of memory).
std::string zip_files(const std::vector<SourceFile>& files);
std::string zip_single_file(const SourceFile& file);

}  // namespace api
