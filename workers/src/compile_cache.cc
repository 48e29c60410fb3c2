#include "compile_cache.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

#include "cache_files.h"
#include "core/metrics.h"
#include "core/store.h"

namespace workers {
namespace {

namespace fs = std::filesystem;

// Entry layout: magic line, sha256 of the payload, newline, payload. The payload is the
// compiler's output then each file, every part as "<length>\n<bytes>" (files also with mode).
constexpr std::string_view kMagic = "contest-judge compile cache 1\n";
// An entry larger than this share of the bound is not kept: it would evict everything else.
constexpr uint64_t kMaxEntryShare = 4;

void put_part(std::string& out, std::string_view part) {
  out += std::to_string(part.size());
  out += '\n';
  out += part;
}

// Reads one part at pos; throws on truncated or malformed input.
std::string take_part(std::string_view in, size_t& pos) {
  size_t newline = in.find('\n', pos);
  if (newline == std::string_view::npos || newline == pos || newline - pos > 19)
    throw std::runtime_error("bad length");
  uint64_t length = std::stoull(std::string(in.substr(pos, newline - pos)));
  if (length > in.size() - newline - 1) throw std::runtime_error("truncated part");
  pos = newline + 1 + length;
  return std::string(in.substr(newline + 1, length));
}

bool is_safe_relative(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  for (const auto& part : fs::path(path))
    if (part == ".." || part == ".") return false;
  return true;
}

std::string pack(const std::string& box_dir, const std::string& source_file,
                 const std::string& compile_output, uint64_t max_bytes) {
  std::string payload;
  put_part(payload, compile_output);
  for (const auto& entry : fs::recursive_directory_iterator(box_dir)) {
    if (!entry.is_regular_file()) continue;
    std::string relative = fs::relative(entry.path(), box_dir).string();
    if (relative == source_file) continue;
    std::string data;
    if (!read_whole_file(entry.path().string(), data))
      throw std::runtime_error("cannot read " + entry.path().string());
    put_part(payload, relative);
    put_part(payload, std::to_string(static_cast<unsigned>(entry.status().permissions())));
    put_part(payload, data);
    if (payload.size() > max_bytes) throw std::runtime_error("too large to cache");
  }
  return payload;
}

std::string unpack(std::string_view payload, const std::string& box_dir) {
  size_t pos = 0;
  std::string output = take_part(payload, pos);
  while (pos < payload.size()) {
    std::string relative = take_part(payload, pos);
    auto mode = static_cast<fs::perms>(std::stoul(take_part(payload, pos)));
    std::string data = take_part(payload, pos);
    if (!is_safe_relative(relative)) throw std::runtime_error("unsafe path " + relative);
    fs::path target = fs::path(box_dir) / relative;
    fs::create_directories(target.parent_path());
    write_atomically(target.string(), data);
    // Runs read the box as another uid: keep the compiler's mode, readable by all.
    fs::permissions(target, (mode & fs::perms::all) | fs::perms::owner_read |
                                fs::perms::group_read | fs::perms::others_read);
  }
  return output;
}

}  // namespace

DiskCompileCache::DiskCompileCache(std::string dir, uint64_t max_bytes, core::Metrics* metrics,
                                   std::chrono::seconds keep_recent)
    : dir_(std::move(dir)), max_bytes_(max_bytes), metrics_(metrics), keep_recent_(keep_recent) {
  fs::create_directories(dir_);
}

void DiskCompileCache::count(std::atomic<uint64_t>& counter, const char* result) {
  ++counter;
  if (metrics_) metrics_->inc(kCompileCacheMetric, std::string("result=\"") + result + "\"");
}

std::optional<std::string> DiskCompileCache::restore(const std::string& key,
                                                     const std::string& box_dir) {
  std::string path = entry_path(key), entry;
  if (!read_whole_file(path, entry)) {
    count(counts_.misses, "miss");
    return std::nullopt;
  }
  const size_t header = kMagic.size() + 65;
  std::string_view view(entry);
  bool intact = entry.size() >= header && view.substr(0, kMagic.size()) == kMagic &&
                entry[header - 1] == '\n' &&
                core::sha256_hex(view.substr(header)) == view.substr(kMagic.size(), 64);
  if (intact) {
    try {
      std::string output = unpack(view.substr(header), box_dir);
      mark_used(path);
      count(counts_.hits, "hit");
      return output;
    } catch (const std::exception& e) {
      spdlog::warn("compile cache: cannot restore {}: {}", path, e.what());
    }
  }
  spdlog::warn("compile cache: discarding bad entry {}", path);
  std::error_code ec;
  fs::remove(path, ec);
  count(counts_.corrupt, "corrupt");
  return std::nullopt;
}

void DiskCompileCache::save(const std::string& key, const std::string& box_dir,
                            const std::string& source_file, const std::string& compile_output) {
  try {
    std::string payload = pack(box_dir, source_file, compile_output, max_bytes_ / kMaxEntryShare);
    std::string entry(kMagic);
    entry += core::sha256_hex(payload);
    entry += '\n';
    entry += payload;
    write_atomically(entry_path(key), entry);
    ++counts_.saved;
    evict_lru(dir_, max_bytes_, keep_recent_);
  } catch (const std::exception& e) {
    spdlog::warn("compile cache: not keeping {}: {}", key, e.what());
  }
}

std::string compile_cache_key(const std::string& language_id, const std::string& compiler_version,
                              const std::vector<std::string>& compile_argv,
                              const std::vector<judge::SourceFile>& files,
                              const std::string& entry_point) {
  // Length-prefixed parts: no two different inputs give the same string.
  std::string material;
  put_part(material, language_id);
  put_part(material, compiler_version);
  put_part(material, std::to_string(compile_argv.size()));
  for (const auto& arg : compile_argv) put_part(material, arg);
  put_part(material, std::to_string(files.size()));
  for (const auto& file : files) {
    put_part(material, file.name);
    put_part(material, file.content);
  }
  put_part(material, entry_point);
  return core::sha256_hex(material);
}

}  // namespace workers
