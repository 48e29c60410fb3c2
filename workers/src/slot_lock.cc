#include "slot_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace workers {

SlotLock::SlotLock(const std::string& dir, int max_slots) {
  std::filesystem::create_directories(dir);
  for (int n = 0; n < max_slots; ++n) {
    std::string path = dir + "/" + std::to_string(n) + ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      fd_ = fd;
      slot_ = n;
      return;
    }
    ::close(fd);
  }
  throw std::runtime_error("no free sandbox slot in " + dir + " (all " +
                           std::to_string(max_slots) + " are taken)");
}

SlotLock::~SlotLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace workers
