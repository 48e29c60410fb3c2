#include "testdata_cache.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "cache_files.h"
#include "core/problem_data.h"
#include "core/store.h"

namespace workers {
namespace {

std::optional<int64_t> size_and_mtime(const std::string& file, int64_t& mtime_ns) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return st.st_size;
}

}  // namespace

TestDataCache::TestDataCache(std::string dir, uint64_t max_bytes,
                             std::chrono::seconds keep_recent)
    : dir_(std::move(dir)), max_bytes_(max_bytes), keep_recent_(keep_recent) {
  std::filesystem::create_directories(dir_);
}

// True when the file exists and its content matches its name (checked once per process and
// again whenever the file changed). A mismatching file is removed.
bool TestDataCache::verified_on_disk(const std::string& file, const std::string& sha256) {
  Stamp stamp;
  auto size = size_and_mtime(file, stamp.mtime_ns);
  if (!size) return false;
  stamp.size = *size;
  {
    std::lock_guard lock(mutex_);
    auto it = verified_.find(sha256);
    if (it != verified_.end() && it->second == stamp) return true;
  }
  std::string data;
  if (read_whole_file(file, data) && core::sha256_hex(data) == sha256) {
    std::lock_guard lock(mutex_);
    verified_[sha256] = stamp;
    return true;
  }
  spdlog::warn("test data cache: {} does not match its hash; fetching it again", file);
  std::error_code ec;
  std::filesystem::remove(file, ec);
  ++repaired_;
  return false;
}

void TestDataCache::fetch(core::Store& store, const std::string& sha256, const std::string& file) {
  auto data = core::ProblemData(store).blob(sha256);
  if (!data) throw std::runtime_error("test data blob " + sha256 + " is missing");
  if (core::sha256_hex(*data) != sha256)
    throw std::runtime_error("test data blob " + sha256 + " is corrupt");
  write_atomically(file, *data);
  evict_lru(dir_, max_bytes_, keep_recent_);
}

std::string TestDataCache::path(core::Store& store, const std::string& sha256) {
  // The name becomes a path: only a sha256 may pass.
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw std::runtime_error("test data hash is not a sha256: " + sha256.substr(0, 80));
  std::string file = dir_ + "/" + sha256;
  if (!verified_on_disk(file, sha256)) {
    fetch(store, sha256, file);
    if (!verified_on_disk(file, sha256))
      throw std::runtime_error("test data blob " + sha256 + " cannot be cached");
  }
  mark_used(file);
  return file;
}

}  // namespace workers
