// libzip reads the uploads from memory (no temporary files) and writes the zips served back.
// Nothing is ever unpacked to disk: the one file is read into a string, bounded by the limit.
#include "parse/source_zip.h"

#include <zip.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include "core/archive_names.h"

namespace api {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using EntryReader = std::unique_ptr<zip_file_t, FileCloser>;

struct ErrorGuard {
  zip_error_t error;
  ErrorGuard() { zip_error_init(&error); }
  ~ErrorGuard() { zip_error_fini(&error); }
  std::string text() { return zip_error_strerror(&error); }
};

bool is_directory(std::string_view name) { return !name.empty() && name.back() == '/'; }

// Opens the archive over the caller's bytes (which must outlive it).
Result<Archive> open_archive(std::string_view zip) {
  // libzip reads zero bytes as an empty archive; an empty upload is no zip for us.
  if (zip.empty()) return HttpError{400, "not a zip archive (no data)"};
  ErrorGuard guard;
  zip_source_t* source = zip_source_buffer_create(zip.data(), zip.size(), 0, &guard.error);
  if (source == nullptr) throw std::runtime_error("zip_source_buffer_create: " + guard.text());
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &guard.error);
  if (archive == nullptr) {
    zip_source_free(source);
    return HttpError{400, "not a zip archive (" + guard.text() + ")"};
  }
  return Archive(archive);
}

// Checks one entry's metadata; an error names the entry.
std::optional<HttpError> check_entry(const zip_stat_t& stat) {
  const std::string name = (stat.valid & ZIP_STAT_NAME) ? stat.name : "";
  if (!is_safe_zip_name(name)) {
    return HttpError{422, "entry '" + name +
                              "': unsafe name (absolute, '..', backslash, control character, "
                              "not UTF-8 or longer than " +
                              std::to_string(kMaxZipNameBytes) + " bytes)"};
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    return HttpError{422, "entry '" + name + "': encrypted entries are not accepted"};
  }
  if (!is_directory(name) && (stat.valid & ZIP_STAT_COMP_METHOD) &&
      !zip_compression_method_supported(stat.comp_method, 0)) {
    return HttpError{422, "entry '" + name + "': unsupported compression method"};
  }
  return std::nullopt;
}

// The indexes of the file entries after checking every entry.
Result<std::vector<zip_uint64_t>> file_indexes(zip_t* archive) {
  zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count < 0 || static_cast<size_t>(count) > kMaxZipEntries) {
    return HttpError{
        422, "too many entries in the zip (at most " + std::to_string(kMaxZipEntries) + ")"};
  }
  std::vector<zip_uint64_t> files;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    zip_stat_t stat;
    if (zip_stat_index(archive, i, ZIP_FL_ENC_RAW, &stat) != 0) {
      return HttpError{400, "corrupt zip: " + std::string(zip_strerror(archive))};
    }
    if (auto bad = check_entry(stat)) return *bad;
    if (!is_directory(stat.name)) files.push_back(i);
  }
  if (files.empty()) return HttpError{422, "the zip holds no file"};
  return files;
}

// Files of a multi-file submission land side by side in the box under their last path
// component, which becomes a compiler argument: no two may share it, and none may look like an
// option.
std::optional<HttpError> check_box_names(const std::vector<SourceFile>& files) {
  std::set<std::string> seen;
  for (const auto& f : files) {
    const std::string base = f.name.substr(f.name.rfind('/') + 1);
    if (base.front() == '-') {
      return HttpError{422, "entry '" + f.name + "': a file name may not start with '-'"};
    }
    if (!seen.insert(base).second) {
      return HttpError{422, "entry '" + f.name + "': two files are named '" + base + "'"};
    }
  }
  return std::nullopt;
}

// Decompresses one entry, counting real bytes: stops as soon as the limit is passed.
Result<std::string> read_bounded(zip_t* archive, zip_uint64_t index, const std::string& name,
                                 size_t max_bytes) {
  EntryReader reader(zip_fopen_index(archive, index, 0));
  if (!reader) {
    return HttpError{
        422, "entry '" + name + "': cannot be read (" + std::string(zip_strerror(archive)) + ")"};
  }
  std::string content;
  std::vector<char> chunk(kReadChunk);
  for (;;) {
    zip_int64_t n = zip_fread(reader.get(), chunk.data(), chunk.size());
    if (n < 0) {
      return HttpError{400, "entry '" + name + "': corrupt data (" +
                                std::string(zip_file_strerror(reader.get())) + ")"};
    }
    if (n == 0) break;
    content.append(chunk.data(), static_cast<size_t>(n));
    if (content.size() > max_bytes) {
      return HttpError{413, "entry '" + name + "': larger than the limit of " +
                                std::to_string(max_bytes / 1024) + " KiB when decompressed"};
    }
  }
  if (content.empty()) return HttpError{422, "entry '" + name + "': the source file is empty"};
  return content;
}

}  // namespace

bool is_safe_zip_name(std::string_view name) {
  return core::is_safe_archive_name(name, kMaxZipNameBytes);
}

Result<std::vector<SourceFile>> read_sources(std::string_view zip, size_t max_total_bytes) {
  auto archive = open_archive(zip);
  if (!archive.ok()) return archive.error();
  auto indexes = file_indexes(archive.value().get());
  if (!indexes.ok()) return indexes.error();
  std::vector<SourceFile> files;
  size_t left = max_total_bytes;
  for (zip_uint64_t index : indexes.value()) {
    zip_stat_t stat;
    if (zip_stat_index(archive.value().get(), index, ZIP_FL_ENC_RAW, &stat) != 0) {
      return HttpError{400, "corrupt zip"};
    }
    std::string name = stat.name;
    auto content = read_bounded(archive.value().get(), index, name, left);
    if (!content.ok()) {
      if (content.error().status != 413) return content.error();
      return HttpError{413, "the files are larger than the limit of " +
                                std::to_string(max_total_bytes / 1024) +
                                " KiB together when decompressed"};
    }
    left -= content.value().size();
    files.push_back({std::move(name), std::move(content.value())});
  }
  if (auto bad = check_box_names(files)) return *bad;
  return files;
}

std::string zip_single_file(const SourceFile& file) { return zip_files({file}); }

std::string zip_files(const std::vector<SourceFile>& files) {
  ErrorGuard guard;
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &guard.error);
  if (buffer == nullptr) throw std::runtime_error("zip_source_buffer_create: " + guard.text());
  zip_source_keep(buffer);  // Survives zip_close(), which writes the archive into it.
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> out(buffer, zip_source_free);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &guard.error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source: " + guard.text());
  Archive owned(archive);
  for (const auto& file : files) {
    zip_source_t* content = zip_source_buffer(archive, file.content.data(), file.content.size(), 0);
    if (content == nullptr ||
        zip_file_add(archive, file.name.c_str(), content, ZIP_FL_ENC_UTF_8) < 0) {
      if (content != nullptr) zip_source_free(content);
      throw std::runtime_error("zip_file_add: " + std::string(zip_strerror(archive)));
    }
  }
  if (zip_close(archive) != 0)
    throw std::runtime_error("zip_close: " + std::string(zip_strerror(archive)));
  owned.release();  // zip_close() freed it.
  zip_stat_t stat;
  if (zip_source_stat(buffer, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE) ||
      zip_source_open(buffer) != 0) {
    throw std::runtime_error("reading the written zip failed");
  }
  std::string bytes(stat.size, '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    zip_int64_t n = zip_source_read(buffer, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  zip_source_close(buffer);
  if (done != bytes.size()) throw std::runtime_error("reading the written zip failed");
  return bytes;
}

}  // namespace api
