// Sandbox slots are host-wide: two worker processes on one host (or in containers sharing its
// cgroups) must never use the same box uid or cgroup. A slot is owned by holding an flock on
// <dir>/<n>.lock for the life of the process; the kernel frees it when the process dies.
#pragma once

#include <string>

namespace workers {

// Box uids and cgroup names exist for this many slots per host.
inline constexpr int kMaxSandboxSlots = 256;

class SlotLock {
 public:
  // Takes the lowest free slot number below max_slots; throws std::runtime_error if none is free.
  SlotLock(const std::string& dir, int max_slots);
  ~SlotLock();
  SlotLock(const SlotLock&) = delete;
  SlotLock& operator=(const SlotLock&) = delete;
  int slot() const { return slot_; }

 private:
  int fd_ = -1;
  int slot_ = -1;
};

}  // namespace workers
