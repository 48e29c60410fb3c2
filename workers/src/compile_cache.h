// The worker's compile cache: one file per successful compile, <dir>/<key>, holding the files the
// compiler left in the box and its output, behind the sha256 of that content. Shared by the
// slots and the worker processes of a host (atomic writes; LRU eviction under a size bound).
// An entry whose content does not match its stored hash is removed and the code compiled again.
// The hash is checked once per process and entry file: a hit on an entry whose file identity
// (device, inode, size, mtime, ctime) is unchanged since its check skips it. Any write to the
// file, in place or by a rename over it, changes the ctime (no writer can set it), so a changed
// entry is checked again. Files are written into the box, never linked: the box must not share
// an inode with the cache.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "judge/judge.h"

namespace core {
class Metrics;
}

namespace workers {

inline constexpr const char* kCompileCacheMetric = "judge_worker_compile_cache_total";

class DiskCompileCache : public judge::CompileCache {
 public:
  struct Counts {
    std::atomic<uint64_t> hits{0}, misses{0}, corrupt{0}, saved{0};
    std::atomic<uint64_t> hash_checks{0};  // Entries read whose hash was computed.
  };

  // metrics (optional) gets kCompileCacheMetric{result="hit|miss|corrupt"}.
  // Entries used within keep_recent are not evicted (a slot may be restoring them).
  DiskCompileCache(std::string dir, uint64_t max_bytes, core::Metrics* metrics = nullptr,
                   std::chrono::seconds keep_recent = std::chrono::seconds(60));
  std::optional<std::string> restore(const std::string& key, const std::string& box_dir) override;
  void save(const std::string& key, const std::string& box_dir, const std::string& source_file,
            const std::string& compile_output) override;
  const Counts& counts() const { return counts_; }
  std::string entry_path(const std::string& key) const { return dir_ + "/" + key; }

  // An entry file as stat sees it; equal identities mean the content was not written between.
  struct FileIdentity {
    uint64_t device = 0, inode = 0, size = 0;
    int64_t mtime_ns = 0, ctime_ns = 0;
    bool operator==(const FileIdentity&) const = default;
  };

 private:
  std::string dir_;
  uint64_t max_bytes_;
  core::Metrics* metrics_;
  std::chrono::seconds keep_recent_;
  Counts counts_;
  std::mutex verified_mutex_;
  std::unordered_map<std::string, FileIdentity> verified_;  // Key -> entry file when checked.

  void count(std::atomic<uint64_t>& counter, const char* result);
  bool trusted(const std::string& key, const FileIdentity& identity);
  void remember_verified(const std::string& key, const FileIdentity& identity);
  void forget_verified(const std::string& key);
};

// The cache key of one compile: everything its result depends on (every file, by box name, in
// the order given, and the entry point).
std::string compile_cache_key(const std::string& language_id, const std::string& compiler_version,
                              const std::vector<std::string>& compile_argv,
                              const std::vector<judge::SourceFile>& files,
                              const std::string& entry_point);

}  // namespace workers
