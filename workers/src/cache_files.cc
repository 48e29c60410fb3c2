#include "cache_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace workers {
namespace {

namespace fs = std::filesystem;

bool is_temp(const std::string& name) { return name.find(".tmp.") != std::string::npos; }

struct Entry {
  std::string path;
  uint64_t bytes = 0;
  int64_t used_ns = 0;
};

std::vector<Entry> entries(const std::string& dir) {
  std::vector<Entry> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_temp(it->path().filename().string())) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.push_back({it->path().string(), static_cast<uint64_t>(st.st_size),
                   int64_t(st.st_atim.tv_sec) * 1000000000 + st.st_atim.tv_nsec});
  }
  return out;
}

}  // namespace

void write_atomically(const std::string& path, std::string_view data) {
  static std::atomic<uint64_t> counter{0};
  std::ostringstream temp;
  temp << path << ".tmp." << ::getpid() << "." << std::this_thread::get_id() << "." << counter++;
  {
    std::ofstream out(temp.str(), std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(temp.str(), ec);
      throw std::runtime_error("cannot write " + temp.str());
    }
  }
  std::error_code ec;
  fs::rename(temp.str(), path, ec);
  if (ec) {
    fs::remove(temp.str(), ec);
    throw std::runtime_error("cannot rename into " + path);
  }
}

bool read_whole_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return false;
  out = text.str();
  return true;
}

void mark_used(const std::string& path) {
  struct timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  ::utimensat(AT_FDCWD, path.c_str(), times, 0);  // Best effort: a stale stamp only skews LRU.
}

void evict_lru(const std::string& dir, uint64_t max_bytes, std::chrono::seconds keep_recent) {
  auto all = entries(dir);
  uint64_t total = 0;
  for (const auto& e : all) total += e.bytes;
  if (total <= max_bytes) return;
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) { return a.used_ns < b.used_ns; });
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const int64_t recent_ns = (int64_t(now.tv_sec) - keep_recent.count()) * 1000000000 + now.tv_nsec;
  for (const auto& e : all) {
    if (total <= max_bytes || e.used_ns >= recent_ns) break;
    std::error_code ec;
    fs::remove(e.path, ec);  // Another process may have evicted it first: fine.
    total -= e.bytes;
  }
}

uint64_t cache_bytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : entries(dir)) total += e.bytes;
  return total;
}

}  // namespace workers
