#include "compile_cache.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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
constexpr size_t kHeaderBytes = kMagic.size() + 65;  // Magic, hash, newline.
// An entry larger than this share of the bound is not kept: it would evict everything else.
constexpr uint64_t kMaxEntryShare = 4;
// Verified identities kept per process; past this many (entries long evicted) start over.
constexpr size_t kMaxVerifiedEntries = 10000;

void put_part(std::string& out, std::string_view part) {
  out += std::to_string(part.size());
  out += '\n';
  out += part;
}

// Reads one part at pos; throws on truncated or malformed input.
std::string_view take_part(std::string_view in, size_t& pos) {
  size_t newline = in.find('\n', pos);
  if (newline == std::string_view::npos || newline == pos || newline - pos > 19)
    throw std::runtime_error("bad length");
  uint64_t length = std::stoull(std::string(in.substr(pos, newline - pos)));
  if (length > in.size() - newline - 1) throw std::runtime_error("truncated part");
  pos = newline + 1 + length;
  return in.substr(newline + 1, length);
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

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Creates path with data: a file of that name (a submitted one the payload holds too) is
// replaced, never written through. The box is the slot's own: no temp name needed.
void write_box_file(const fs::path& path, std::string_view data, fs::perms mode) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("cannot replace " + path.string());
  Fd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (out.get() < 0) throw std::runtime_error("cannot create " + path.string());
  for (size_t done = 0; done < data.size();) {
    ssize_t n = ::write(out.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("cannot write " + path.string());
    done += static_cast<size_t>(n);
  }
  // Runs read the box as another uid: keep the compiler's mode, readable by all.
  const auto readable = (mode & fs::perms::all) | fs::perms::owner_read | fs::perms::group_read |
                        fs::perms::others_read;
  if (::fchmod(out.get(), static_cast<mode_t>(readable)) != 0)
    throw std::runtime_error("cannot chmod " + path.string());
}

std::string unpack(std::string_view payload, const std::string& box_dir) {
  size_t pos = 0;
  std::string output(take_part(payload, pos));
  while (pos < payload.size()) {
    std::string relative(take_part(payload, pos));
    auto mode = static_cast<fs::perms>(std::stoul(std::string(take_part(payload, pos))));
    std::string_view data = take_part(payload, pos);
    if (!is_safe_relative(relative)) throw std::runtime_error("unsafe path " + relative);
    fs::path target = fs::path(box_dir) / relative;
    fs::create_directories(target.parent_path());
    write_box_file(target, data, mode);
  }
  return output;
}

DiskCompileCache::FileIdentity identity_of(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<uint64_t>(st.st_size),
          int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
          int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

// One entry read whole from its open file, with the file's identity while it was read.
struct ReadEntry {
  std::string bytes;
  DiskCompileCache::FileIdentity identity;
  bool stable = false;  // The identity was the same before and after the read.
  int64_t used_ns = 0;  // Its LRU stamp (access time) before this read.
};

bool read_entry(int fd, ReadEntry& out) {
  struct stat before {}, after {};
  if (::fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) return false;
  out.bytes.resize(static_cast<size_t>(before.st_size));
  size_t done = 0;
  while (done < out.bytes.size()) {
    ssize_t n = ::pread(fd, out.bytes.data() + done, out.bytes.size() - done, off_t(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // Shrunk meanwhile: the hash check refuses what we have.
    done += static_cast<size_t>(n);
  }
  out.bytes.resize(done);
  if (::fstat(fd, &after) != 0) return false;
  out.identity = identity_of(before);
  out.stable = done == static_cast<size_t>(before.st_size) && identity_of(after) == out.identity;
  out.used_ns = int64_t(before.st_atim.tv_sec) * 1000000000 + before.st_atim.tv_nsec;
  return true;
}

bool hash_matches(std::string_view entry) {
  return entry.size() >= kHeaderBytes && entry.substr(0, kMagic.size()) == kMagic &&
         entry[kHeaderBytes - 1] == '\n' &&
         core::sha256_hex(entry.substr(kHeaderBytes)) == entry.substr(kMagic.size(), 64);
}

int64_t now_ns() {
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;
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

bool DiskCompileCache::trusted(const std::string& key, const FileIdentity& identity) {
  std::lock_guard lock(verified_mutex_);
  auto known = verified_.find(key);
  return known != verified_.end() && known->second == identity;
}

void DiskCompileCache::remember_verified(const std::string& key, const FileIdentity& identity) {
  std::lock_guard lock(verified_mutex_);
  if (verified_.size() >= kMaxVerifiedEntries) verified_.clear();
  verified_[key] = identity;
}

void DiskCompileCache::forget_verified(const std::string& key) {
  std::lock_guard lock(verified_mutex_);
  verified_.erase(key);
}

std::optional<std::string> DiskCompileCache::restore(const std::string& key,
                                                     const std::string& box_dir) {
  const std::string path = entry_path(key);
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  ReadEntry entry;
  if (fd.get() < 0 || !read_entry(fd.get(), entry)) {
    count(counts_.misses, "miss");
    return std::nullopt;
  }
  // Checked before under this very identity, and not written while we read: the same bytes.
  bool intact = entry.stable && trusted(key, entry.identity);
  if (!intact) ++counts_.hash_checks;
  if (!intact && hash_matches(entry.bytes)) {
    intact = true;
    if (entry.stable) remember_verified(key, entry.identity);
  }
  if (intact) {
    try {
      std::string output = unpack(std::string_view(entry.bytes).substr(kHeaderBytes), box_dir);
      // Stamping changes the ctime (the next hit checks the hash again): at most twice per
      // keep_recent, which still keeps an entry in use from eviction.
      if (now_ns() - entry.used_ns >= keep_recent_.count() * 1000000000 / 2) mark_used(path);
      count(counts_.hits, "hit");
      return output;
    } catch (const std::exception& e) {
      spdlog::warn("compile cache: cannot restore {}: {}", path, e.what());
    }
  }
  forget_verified(key);
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
