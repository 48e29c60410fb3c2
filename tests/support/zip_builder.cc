#include "zip_builder.h"

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace testenv {
namespace {

// Zip header layout (APPNOTE 4.3.7, 4.3.12, 4.3.16): field offsets from each signature.
constexpr uint32_t kLocalSignature = 0x04034b50, kCentralSignature = 0x02014b50,
                   kEndSignature = 0x06054b50;
constexpr size_t kLocalHeaderSize = 30, kCentralHeaderSize = 46, kEndRecordSize = 22;
constexpr size_t kLocalFlags = 6, kLocalCompressed = 18, kLocalUncompressed = 22,
                 kLocalNameLength = 26, kLocalExtraLength = 28;
constexpr size_t kCentralFlags = 8, kCentralUncompressed = 24, kCentralNameLength = 28,
                 kCentralExtraLength = 30, kCentralCommentLength = 32;
constexpr size_t kEndEntries = 10, kEndCentralOffset = 16;
constexpr uint16_t kEncryptedFlag = 1;

uint32_t get(const std::string& zip, size_t at, int bytes) {
  if (at + bytes > zip.size()) throw std::runtime_error("zip header out of range");
  uint32_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(zip[at + i]);
  return value;
}

void put(std::string& zip, size_t at, int bytes, uint32_t value) {
  for (int i = 0; i < bytes; ++i) zip[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

// Calls patch(zip, offset_of_header, is_central) for every local and central header.
template <class Patch>
std::string patch_headers(std::string zip, Patch patch) {
  const size_t end = zip.size() - kEndRecordSize;
  if (get(zip, end, 4) != kEndSignature)
    throw std::runtime_error("zip has a comment or is not one");
  const uint32_t entries = get(zip, end + kEndEntries, 2);
  size_t at = 0;
  for (uint32_t i = 0; i < entries && get(zip, at, 4) == kLocalSignature; ++i) {
    patch(zip, at, false);
    at += kLocalHeaderSize + get(zip, at + kLocalNameLength, 2) +
          get(zip, at + kLocalExtraLength, 2) + get(zip, at + kLocalCompressed, 4);
  }
  at = get(zip, end + kEndCentralOffset, 4);
  for (uint32_t i = 0; i < entries && get(zip, at, 4) == kCentralSignature; ++i) {
    patch(zip, at, true);
    at += kCentralHeaderSize + get(zip, at + kCentralNameLength, 2) +
          get(zip, at + kCentralExtraLength, 2) + get(zip, at + kCentralCommentLength, 2);
  }
  return zip;
}

// A libzip source producing `size` zero bytes on demand.
struct Zeros {
  zip_uint64_t size = 0, done = 0;
};

zip_int64_t zeros_source(void* state, void* data, zip_uint64_t length, zip_source_cmd_t command) {
  auto* zeros = static_cast<Zeros*>(state);
  switch (command) {
    case ZIP_SOURCE_OPEN:
      zeros->done = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      zip_uint64_t n = std::min(length, zeros->size - zeros->done);
      std::memset(data, 0, n);
      zeros->done += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_STAT: {
      auto* stat = static_cast<zip_stat_t*>(data);
      zip_stat_init(stat);
      stat->size = zeros->size;
      stat->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      std::memset(data, 0, 2 * sizeof(int));
      return 2 * sizeof(int);
    case ZIP_SOURCE_FREE:
      delete zeros;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return ZIP_SOURCE_SUPPORTS_READABLE;
    case ZIP_SOURCE_CLOSE:
      return 0;
    default:
      return -1;
  }
}

// Writes the archive that fill(archive) populates into memory and returns its bytes.
template <class Fill>
std::string write_zip(Fill fill) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source failed");
  fill(archive);
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
  zip_stat_t stat;
  zip_source_stat(buffer, &stat);
  std::string bytes(stat.size, '\0');
  zip_source_open(buffer);
  zip_source_read(buffer, bytes.data(), bytes.size());
  zip_source_close(buffer);
  zip_source_free(buffer);
  return bytes;
}

}  // namespace

std::string make_zip_of_zeros(const std::string& name, uint64_t size) {
  return write_zip([&](zip_t* archive) {
    zip_source_t* zeros = zip_source_function(archive, zeros_source, new Zeros{size, 0});
    if (zeros == nullptr || zip_file_add(archive, name.c_str(), zeros, 0) < 0)
      throw std::runtime_error("zip_file_add failed");
  });
}

std::string make_zip(const std::vector<ZipEntry>& entries) {
  return write_zip([&](zip_t* archive) {
    for (const auto& entry : entries) {
      if (!entry.name.empty() && entry.name.back() == '/') {
        zip_dir_add(archive, entry.name.c_str(), 0);
        continue;
      }
      zip_source_t* data =
          zip_source_buffer(archive, entry.content.data(), entry.content.size(), 0);
      if (zip_file_add(archive, entry.name.c_str(), data, 0) < 0)
        throw std::runtime_error("zip_file_add failed");
    }
  });
}

std::string zip_folder(const std::string& folder, const std::string& prefix) {
  namespace fs = std::filesystem;
  std::vector<ZipEntry> entries;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    entries.push_back({prefix + fs::relative(entry.path(), folder).generic_string(), bytes.str()});
  }
  return make_zip(entries);
}

std::vector<ZipEntry> read_zip(const std::string& zip) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip.data(), zip.size(), 0, &error);
  zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (archive == nullptr) {
    if (source) zip_source_free(source);
    throw std::runtime_error("not a readable zip");
  }
  std::vector<ZipEntry> entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, i, 0, &stat);
    ZipEntry entry{stat.name, std::string(stat.size, '\0')};
    zip_file_t* file = zip_fopen_index(archive, i, 0);
    if (file == nullptr ||
        zip_fread(file, entry.content.data(), entry.content.size()) != zip_int64_t(stat.size)) {
      if (file) zip_fclose(file);
      zip_discard(archive);
      throw std::runtime_error("cannot read zip entry " + entry.name);
    }
    zip_fclose(file);
    entries.push_back(std::move(entry));
  }
  zip_discard(archive);
  return entries;
}

std::string mark_encrypted(std::string zip) {
  return patch_headers(std::move(zip), [](std::string& z, size_t at, bool central) {
    size_t flags = at + (central ? kCentralFlags : kLocalFlags);
    put(z, flags, 2, get(z, flags, 2) | kEncryptedFlag);
  });
}

std::string claim_uncompressed_size(std::string zip, uint32_t size) {
  return patch_headers(std::move(zip), [size](std::string& z, size_t at, bool central) {
    put(z, at + (central ? kCentralUncompressed : kLocalUncompressed), 4, size);
  });
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace testenv
