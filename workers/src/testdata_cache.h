// A local content-addressed cache of test data: <dir>/<sha256>, fetched from Postgres once.
//
// One instance per worker process, shared by its slots. A file is trusted only after its sha256
// was checked: when written, and on first use in this process or after its size or mtime changed
// (a corrupt file is removed and fetched again). Bounded: least recently used blobs go first.
#pragma once

#include <chrono>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace core {
class Store;
}

namespace workers {

class TestDataCache {
 public:
  // Blobs used within keep_recent stay even over the bound: a judging may still read them.
  TestDataCache(std::string dir, uint64_t max_bytes,
                std::chrono::seconds keep_recent = std::chrono::seconds(600));
  // Path of the blob's file, downloading it first if missing or corrupt. Throws on failure.
  std::string path(core::Store& store, const std::string& sha256);
  // Blobs found corrupt on disk and fetched again, since start.
  uint64_t repaired() const { return repaired_; }

 private:
  struct Stamp {
    int64_t size = 0, mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  bool verified_on_disk(const std::string& file, const std::string& sha256);
  void fetch(core::Store& store, const std::string& sha256, const std::string& file);

  std::string dir_;
  uint64_t max_bytes_;
  std::chrono::seconds keep_recent_;
  std::mutex mutex_;
  std::map<std::string, Stamp> verified_;  // sha256 -> the file as it was when checked.
  std::atomic<uint64_t> repaired_{0};
};

}  // namespace workers
