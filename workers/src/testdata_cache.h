// A local content-addressed cache of test data: <dir>/<sha256>, fetched from Postgres once.
#pragma once

#include <string>

namespace core {
class Store;
}

namespace workers {

class TestDataCache {
 public:
  explicit TestDataCache(std::string dir);
  // Path of the blob's file, downloading it first if missing. Throws on failure.
  std::string path(core::Store& store, const std::string& sha256);

 private:
  std::string dir_;
};

}  // namespace workers
