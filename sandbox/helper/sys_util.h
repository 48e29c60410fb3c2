// Small system helpers shared by the judge-box helper's files. Host side only: these allocate and
// throw, so nothing here may be called between fork and exec (see child.h for that side).
#pragma once

#include <cerrno>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace judge_box {

// A failed system call of the helper. Printed as "step: strerror(err)" on the error channel.
class SysError : public std::runtime_error {
 public:
  SysError(const std::string& step, int err);
  int err() const { return err_; }

 private:
  int err_;
};

// A failure that has no errno (bad configuration, unsupported host, ...).
struct SetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_errno(const std::string& step);

// Owns one file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};
// A close-on-exec pipe.
Pipe make_pipe(const char* step);

// Whole-file helpers for small files (cgroup and proc files). read_text throws SysError.
std::string read_text(const std::string& path);
// Writes value to an existing file (e.g. a cgroup knob); throws SysError naming the path.
void write_text(const std::string& path, const std::string& value);
// Like write_text, returns false instead of throwing when the file does not exist.
bool write_text_if_exists(const std::string& path, const std::string& value);

int64_t monotonic_ms();
int64_t monotonic_us();

}  // namespace judge_box
