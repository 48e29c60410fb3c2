#include "sys_util.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

namespace judge_box {

SysError::SysError(const std::string& step, int err)
    : std::runtime_error(step + ": " + std::strerror(err)), err_(err) {}

void throw_errno(const std::string& step) { throw SysError(step, errno); }

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) reset(std::exchange(other.fd_, -1));
  return *this;
}

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Pipe make_pipe(const char* step) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno(step);
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

std::string read_text(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw_errno("open " + path);
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read " + path);
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

static bool write_text_impl(const std::string& path, const std::string& value, bool may_be_absent) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0 && may_be_absent && errno == ENOENT) return false;
  if (fd.get() < 0) throw_errno("open " + path);
  // cgroup knobs take the whole value in one write(); a short write is an error there.
  ssize_t n = ::write(fd.get(), value.data(), value.size());
  if (n < 0) throw_errno("write " + path);
  if (static_cast<size_t>(n) != value.size()) throw SysError("write " + path, EIO);
  return true;
}

void write_text(const std::string& path, const std::string& value) {
  write_text_impl(path, value, false);
}

bool write_text_if_exists(const std::string& path, const std::string& value) {
  return write_text_impl(path, value, true);
}

int64_t monotonic_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t monotonic_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

}  // namespace judge_box
