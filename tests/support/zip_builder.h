// Test support: zip archives made to order, including the hostile ones an upload check must
// refuse (unsafe names, encryption flags, headers that lie about sizes), and base64.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace testenv {

struct ZipEntry {
  std::string name, content;  // A name ending in '/' makes a directory entry.
};
// A deflated zip of the entries; names are written as given, unsafe ones too.
std::string make_zip(const std::vector<ZipEntry>& entries);
// A zip of every regular file below `folder`, named by its path relative to it, each name
// prefixed with `prefix` ("name/" zips the folder as one top folder).
std::string zip_folder(const std::string& folder, const std::string& prefix = "");
// A zip of one file of `size` zero bytes, generated while compressing (a zip bomb that does not
// need the memory it unpacks to).
std::string make_zip_of_zeros(const std::string& name, uint64_t size);
// The entries of a zip (throws std::runtime_error when it is not a readable zip).
std::vector<ZipEntry> read_zip(const std::string& zip);
// Sets the "encrypted" flag of every entry in the local and central headers.
std::string mark_encrypted(std::string zip);
// Makes every header claim `size` uncompressed bytes, whatever the data holds.
std::string claim_uncompressed_size(std::string zip, uint32_t size);
// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

}  // namespace testenv
