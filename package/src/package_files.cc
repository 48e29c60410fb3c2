// Reading a package's files into memory: from a zip (libzip over the uploaded bytes, nothing
// unpacked to disk) or from a folder (judgectl).
#include <zip.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "core/archive_names.h"
#include "package/problem_package.h"

namespace package {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxNameBytes = 255;

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

bool is_directory(std::string_view name) { return !name.empty() && name.back() == '/'; }

bool is_safe_name(std::string_view name) { return core::is_safe_archive_name(name, kMaxNameBytes); }

std::unique_ptr<zip_t, ArchiveCloser> open_archive(std::string_view zip) {
  if (zip.empty()) throw PackageError(400, "not a zip archive (no data)");
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(zip.data(), zip.size(), 0, &error);
  zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    if (source != nullptr) zip_source_free(source);
    throw PackageError(400, "not a zip archive (" + text + ")");
  }
  return std::unique_ptr<zip_t, ArchiveCloser>(archive);
}

void check_entry(const zip_stat_t& stat, const std::string& name) {
  if (!is_safe_name(name)) {
    throw PackageError(422, "zip entry '" + name +
                                "': unsafe name (absolute, '..', backslash, control character or "
                                "not UTF-8)");
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    throw PackageError(422, "zip entry '" + name + "': encrypted entries are not accepted");
  }
  if (!is_directory(name) && (stat.valid & ZIP_STAT_COMP_METHOD) &&
      !zip_compression_method_supported(stat.comp_method, 0)) {
    throw PackageError(422, "zip entry '" + name + "': unsupported compression method");
  }
}

// Appends one entry's content, counting real bytes against what the whole package may use.
std::string read_entry(zip_t* archive, zip_uint64_t index, const std::string& name,
                       size_t& budget) {
  std::unique_ptr<zip_file_t, FileCloser> reader(zip_fopen_index(archive, index, 0));
  if (!reader) throw PackageError(422, "zip entry '" + name + "': cannot be read");
  std::string content;
  std::vector<char> chunk(kReadChunk);
  for (;;) {
    zip_int64_t n = zip_fread(reader.get(), chunk.data(), chunk.size());
    if (n < 0) throw PackageError(400, "zip entry '" + name + "': corrupt data");
    if (n == 0) break;
    if (static_cast<size_t>(n) > budget) {
      throw PackageError(413, "the package is larger than " +
                                  std::to_string(kMaxPackageBytes >> 20) + " MiB decompressed");
    }
    budget -= static_cast<size_t>(n);
    content.append(chunk.data(), static_cast<size_t>(n));
  }
  return content;
}

}  // namespace

FileMap read_zip(std::string_view zip) {
  auto archive = open_archive(zip);
  zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  if (count < 0 || static_cast<size_t>(count) > kMaxPackageEntries) {
    throw PackageError(
        422, "too many entries in the zip (at most " + std::to_string(kMaxPackageEntries) + ")");
  }
  FileMap files;
  size_t budget = kMaxPackageBytes;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    zip_stat_t stat;
    if (zip_stat_index(archive.get(), i, ZIP_FL_ENC_RAW, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME)) {
      throw PackageError(400, "corrupt zip");
    }
    std::string name = stat.name;
    check_entry(stat, name);
    if (is_directory(name)) continue;
    files[name] = read_entry(archive.get(), i, name, budget);
  }
  return files;
}

FileMap read_folder(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(folder)) throw PackageError(422, folder.string() + ": not a folder");
  FileMap files;
  size_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.is_symlink()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    total += content.str().size();
    if (files.size() >= kMaxPackageEntries || total > kMaxPackageBytes) {
      throw PackageError(413, folder.string() + ": too many or too large files");
    }
    std::string name = fs::relative(entry.path(), folder).generic_string();
    if (!is_safe_name(name)) {
      throw PackageError(422, folder.string() + ": file '" + name +
                                  "': control character or not UTF-8 in its name");
    }
    files[name] = content.str();
  }
  return files;
}

std::string strip_top_folder(FileMap& files) {
  if (files.empty() || files.count("problem.yaml")) return "";
  std::string top = files.begin()->first.substr(0, files.begin()->first.find('/'));
  std::string prefix = top + "/";
  for (const auto& [name, content] : files) {
    if (name.rfind(prefix, 0) != 0) return "";
  }
  FileMap inner;
  for (auto& [name, content] : files) inner[name.substr(prefix.size())] = std::move(content);
  files = std::move(inner);
  return top;
}

}  // namespace package
