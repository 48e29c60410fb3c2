#include "testdata_cache.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/store.h"

namespace workers {

TestDataCache::TestDataCache(std::string dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

std::string TestDataCache::path(core::Store& store, const std::string& sha256) {
  std::string final_path = dir_ + "/" + sha256;
  if (std::filesystem::exists(final_path)) return final_path;
  auto data = store.blob(sha256);
  if (!data) throw std::runtime_error("test data blob " + sha256 + " is missing");
  if (core::sha256_hex(*data) != sha256)
    throw std::runtime_error("test data blob " + sha256 + " is corrupt");
  // Write aside and rename: another slot may fetch the same blob at the same time, and a crash
  // must never leave a truncated file under the final name.
  std::string temp = final_path + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(reinterpret_cast<uintptr_t>(&data));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << *data;
    if (!out) throw std::runtime_error("cannot write " + temp);
  }
  std::filesystem::rename(temp, final_path);
  return final_path;
}

}  // namespace workers
