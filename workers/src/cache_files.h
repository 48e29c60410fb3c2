// What the worker's on-disk caches share: atomic writes, LRU stamps and a size bound.
//
// Several slots and several worker processes share one cache folder, so every write goes to a
// temp name and is renamed into place (readers never see a half-written file), and eviction
// tolerates files vanishing under it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace workers {

// Writes data to path through a unique temp name and a rename. Throws on I/O failure.
void write_atomically(const std::string& path, std::string_view data);

// Whole file, or nothing when it cannot be read.
bool read_whole_file(const std::string& path, std::string& out);

// Marks a cache entry as just used: its access time is the LRU stamp (set explicitly, so noatime
// mounts do not matter; the mtime stays, so size+mtime still tell whether the file changed).
void mark_used(const std::string& path);

// Removes the least recently used entries of dir until the total is at most max_bytes. Entries
// used within keep_recent are kept even over the bound: a slot may be about to read them.
void evict_lru(const std::string& dir, uint64_t max_bytes, std::chrono::seconds keep_recent);

// Bytes of the entries of dir (temp files left out).
uint64_t cache_bytes(const std::string& dir);

}  // namespace workers
