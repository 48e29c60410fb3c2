#include "mounts.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "child.h"

namespace judge_box {
namespace {

// A ReadOnly run's /box is a read-only bind of this per-slot tmpfs copy of the work dir, kept
// between runs while the work dir's files are unchanged (the judge runs one binary on many
// tests): copying a static binary was the largest part of a short run. Root-only, and
// unmounted in each run's namespace before the program starts.
constexpr const char* kCacheDir = "/.box-cache";
constexpr const char* kCacheFiles = "/.box-cache/files";
constexpr const char* kCacheKey = "/.box-cache/key";
constexpr const char* kCacheTmpfsOptions = "size=16g,nr_inodes=16384,mode=0700";
constexpr size_t kCacheKeyMax = 32 * 1024;  // Larger work dirs are copied afresh every run.

// The root tmpfs holds only mount points, symlinks and two tiny /etc files.
constexpr const char* kRootTmpfsOptions = "size=1m,nr_inodes=4096,mode=0755";
constexpr unsigned long kSafeFlags = MS_NOSUID | MS_NODEV;

// Debian 12 has merged /usr: these top-level names are symlinks into it.
constexpr const char* kUsrLinks[][2] = {
    {"usr/bin", "bin"},     {"usr/sbin", "sbin"},   {"usr/lib", "lib"},
    {"usr/lib64", "lib64"}, {"usr/lib32", "lib32"},
};
constexpr const char* kDevices[] = {"null", "zero", "random", "urandom"};
constexpr const char* kDevLinks[][2] = {
    {"/proc/self/fd", "dev/fd"},
    {"/proc/self/fd/0", "dev/stdin"},
    {"/proc/self/fd/1", "dev/stdout"},
    {"/proc/self/fd/2", "dev/stderr"},
};

// Copies one regular file (never following a symlink on either side), keeping the exec bits.
// Returns the bytes copied, 0 when name is not a regular file, -1 with errno on failure.
int64_t copy_one(int from_dir, const char* name, int to_dir, uid_t owner, gid_t group,
                 CopyTarget target) {
  int in = ::openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (in < 0) return errno == ELOOP ? 0 : -1;
  struct stat st {};
  if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(in);
    return 0;
  }
  mode_t mode = (st.st_mode & 0111) != 0 ? 0755 : 0644;
  // Replace whatever is there (a symlink, a read-only file) rather than write through it.
  if (target == CopyTarget::Replace) ::unlinkat(to_dir, name, 0);
  int out = ::openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  // Replace: a host dir of that name stays (the program cannot make us fail the run with it).
  if (out < 0 && errno == EEXIST && target == CopyTarget::Replace) {
    ::close(in);
    return 0;
  }
  int64_t total = 0;
  if (out >= 0 && ::fchown(out, owner, group) == 0) {
    for (;;) {
      ssize_t n = ::sendfile(out, in, nullptr, 1 << 30);
      if (n <= 0) {
        if (n < 0) total = -1;
        break;
      }
      total += n;
    }
  } else {
    total = -1;
  }
  int saved = errno;
  if (out >= 0) ::close(out);
  ::close(in);
  errno = saved;
  return total;
}

// Creates the missing parents of a relative path (var/lib for var/lib/ghc) in the template root.
void make_parents(const char* path, int fail_fd) {
  char parent[256];  // No allocation after fork.
  for (const char* slash = std::strchr(path, '/'); slash != nullptr;
       slash = std::strchr(slash + 1, '/')) {
    size_t len = static_cast<size_t>(slash - path);
    child_check(len < sizeof parent ? 0 : -1, fail_fd, "mount point path too long");
    std::memcpy(parent, path, len);
    parent[len] = '\0';
    child_check(::mkdir(parent, 0755) == 0 || errno == EEXIST ? 0 : -1, fail_fd,
                "mkdir mount point parent");
  }
}

void make_mount_point(const char* path, bool is_dir, int fail_fd) {
  make_parents(path, fail_fd);
  if (is_dir) {
    child_check(::mkdir(path, 0755), fail_fd, "mkdir mount point");
    return;
  }
  int fd = ::open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
  child_check(fd, fail_fd, "create mount point");
  ::close(fd);
}

// Bind mounts are created with the source's flags; read-only and nosuid need a remount.
void bind(const char* host, const char* inside, bool read_only, int fail_fd) {
  char step[sizeof InitReport::step];  // Names the path; no allocation after fork.
  std::snprintf(step, sizeof step, "bind %s", host);
  child_check(::mount(host, inside, nullptr, MS_BIND, nullptr), fail_fd, step);
  unsigned long flags = MS_REMOUNT | MS_BIND | kSafeFlags | (read_only ? MS_RDONLY : 0);
  std::snprintf(step, sizeof step, "remount %s", host);
  child_check(::mount(nullptr, inside, nullptr, flags, nullptr), fail_fd, step);
}

void write_file(const char* path, const std::string& text, int fail_fd) {
  int fd = ::open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
  child_check(fd, fail_fd, "create /etc file");
  ssize_t n = ::write(fd, text.data(), text.size());
  child_check(n == static_cast<ssize_t>(text.size()) ? 0 : -1, fail_fd, "write /etc file");
  ::close(fd);
}

void populate_system(const ChildPlan& plan, int fail_fd) {
  child_check(::mkdir("etc", 0755), fail_fd, "mkdir /etc");
  for (const auto& b : plan.ro_binds) {
    make_mount_point(b.inside.c_str(), b.is_dir, fail_fd);
    bind(b.host.c_str(), b.inside.c_str(), true, fail_fd);
  }
  for (const auto& link : kUsrLinks)
    child_check(::symlink(link[0], link[1]), fail_fd, "symlink into /usr");
  write_file("etc/passwd", plan.passwd, fail_fd);
  write_file("etc/group", plan.group, fail_fd);
}

// Bind the host's harmless character devices: mknod would fail in a nodev container.
void populate_dev(int fail_fd) {
  child_check(::mkdir("dev", 0755), fail_fd, "mkdir /dev");
  char inside[32];
  char host[32];
  for (const char* dev : kDevices) {
    std::snprintf(inside, sizeof inside, "dev/%s", dev);
    std::snprintf(host, sizeof host, "/dev/%s", dev);
    make_mount_point(inside, false, fail_fd);
    // Not read-only: /dev/null must stay writable. No MS_NODEV: it is a device.
    child_check(::mount(host, inside, nullptr, MS_BIND, nullptr), fail_fd, "bind /dev node");
    child_check(
        ::mount(nullptr, inside, nullptr, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC, nullptr),
        fail_fd, "remount /dev node");
  }
  for (const auto& link : kDevLinks)
    child_check(::symlink(link[0], link[1]), fail_fd, "symlink in /dev");
}

// Mount points of what init mounts fresh per run.
void make_run_mount_points(int fail_fd) {
  child_check(::mkdir(kCacheDir + 1, 0700), fail_fd, "mkdir box cache");
  child_check(::mkdir("box", 0755), fail_fd, "mkdir /box");
  child_check(::mkdir("tmp", 01777), fail_fd, "mkdir /tmp");
  child_check(::mkdir("proc", 0555), fail_fd, "mkdir /proc");
}

// A ReadWrite /box: a fresh tmpfs (sized by the memory limit, owned by the box's uid) mounted
// over the template's read-only one.
int64_t mount_fresh_box(const ChildPlan& plan, int fail_fd) {
  child_check(::mount("tmpfs", "/box", "tmpfs", kSafeFlags, plan.box_options.c_str()), fail_fd,
              "mount /box");
  int box = ::open("/box", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  child_check(box, fail_fd, "open /box");
  int64_t copied = copy_regular_files(plan.work_dir_fd, box, plan.uid, plan.gid,
                                      plan.copy_max_files, CopyTarget::Fresh);
  ::close(box);
  child_check(copied < 0 ? -1 : 0, fail_fd, "copy work dir into /box");
  return copied;
}

// Identity of the work dir's regular files (inode, size, mtime, ctime, mode, name) in buf;
// returns its length, 0 when it does not fit (no caching) or -1 on error. *bytes: their size.
ssize_t work_dir_key(int dir, char* buf, size_t cap, int64_t* bytes) {
  alignas(8) char ents[8192];
  size_t len = 0;
  *bytes = 0;
  struct stat st {};
  if (::fstat(dir, &st) != 0 || ::lseek(dir, 0, SEEK_SET) < 0) return -1;
  auto append = [&](const void* p, size_t n) {
    if (len + n > cap) return false;
    std::memcpy(buf + len, p, n);
    len += n;
    return true;
  };
  if (!append(&st.st_dev, sizeof st.st_dev) || !append(&st.st_ino, sizeof st.st_ino)) return 0;
  for (;;) {
    long n = ::syscall(SYS_getdents64, dir, ents, sizeof ents);
    if (n < 0) return -1;
    if (n == 0) return static_cast<ssize_t>(len);
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<dirent64*>(ents + off);
      off += d->d_reclen;
      if (d->d_type != DT_REG && d->d_type != DT_UNKNOWN) continue;
      if (::fstatat(dir, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return -1;
      if (!S_ISREG(st.st_mode)) continue;
      *bytes += st.st_size;
      int64_t fields[] = {static_cast<int64_t>(st.st_ino),
                          st.st_size,
                          st.st_mtim.tv_sec,
                          st.st_mtim.tv_nsec,
                          st.st_ctim.tv_sec,
                          st.st_ctim.tv_nsec,
                          static_cast<int64_t>(st.st_mode)};
      if (!append(fields, sizeof fields) || !append(d->d_name, std::strlen(d->d_name) + 1))
        return 0;
    }
  }
}

bool cache_key_matches(const char* key, size_t len) {
  char stored[kCacheKeyMax];
  int fd = ::open(kCacheKey, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = ::read(fd, stored, sizeof stored);
  ::close(fd);
  return n == static_cast<ssize_t>(len) && std::memcmp(stored, key, len) == 0;
}

// Empties the cache (only regular files live there).
void wipe_cache(int files, int fail_fd) {
  alignas(8) char ents[8192];
  child_check(::unlink(kCacheKey) == 0 || errno == ENOENT ? 0 : -1, fail_fd, "unlink cache key");
  for (;;) {
    child_check(::lseek(files, 0, SEEK_SET) < 0 ? -1 : 0, fail_fd, "rewind box cache");
    long n = ::syscall(SYS_getdents64, files, ents, sizeof ents);
    child_check(n < 0 ? -1 : 0, fail_fd, "read box cache");
    bool removed = false;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<dirent64*>(ents + off);
      off += d->d_reclen;
      if (std::strcmp(d->d_name, ".") == 0 || std::strcmp(d->d_name, "..") == 0) continue;
      child_check(::unlinkat(files, d->d_name, 0), fail_fd, "empty box cache");
      removed = true;
    }
    if (!removed) return;
  }
}

// Refills the cache from the work dir unless key says it holds that content already.
int64_t refill_cache(const ChildPlan& plan, const char* key, size_t len, int fail_fd) {
  if (len > 0 && cache_key_matches(key, len)) return 0;
  int files = ::open(kCacheFiles, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  child_check(files, fail_fd, "open box cache");
  wipe_cache(files, fail_fd);
  int64_t copied =
      copy_regular_files(plan.work_dir_fd, files, 0, 0, plan.copy_max_files, CopyTarget::Fresh);
  ::close(files);
  child_check(copied < 0 ? -1 : 0, fail_fd, "copy work dir into /box");
  if (len > 0) {
    int fd = ::open(kCacheKey, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    child_check(fd, fail_fd, "create cache key");
    child_check(::write(fd, key, len) == static_cast<ssize_t>(len) ? 0 : -1, fail_fd,
                "write cache key");
    ::close(fd);
  }
  return copied;
}

// A ReadOnly /box: the template's read-only bind of the slot's cached copy of the work dir.
int64_t fill_cached_box(const ChildPlan& plan, int fail_fd) {
  char key[kCacheKeyMax];
  int64_t bytes = 0;
  ssize_t len = work_dir_key(plan.work_dir_fd, key, sizeof key, &bytes);
  child_check(len < 0 ? -1 : 0, fail_fd, "read work dir");
  if (bytes > plan.box_max_bytes) {
    errno = EFBIG;
    child_fail(fail_fd, "work dir larger than the memory limit");
  }
  return refill_cache(plan, key, static_cast<size_t>(len), fail_fd);
}

}  // namespace

void build_template_root(const ChildPlan& plan, int fail_fd) {
  // Nothing we mount may propagate back to the host (or from it).
  child_check(::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), fail_fd,
              "make / private");
  child_check(::mount("tmpfs", plan.root_dir.c_str(), "tmpfs", kSafeFlags, kRootTmpfsOptions),
              fail_fd, "mount root tmpfs");
  child_check(::chdir(plan.root_dir.c_str()), fail_fd, "chdir root");
  populate_system(plan, fail_fd);
  populate_dev(fail_fd);
  make_run_mount_points(fail_fd);
  // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves only ours,
  // so each run's mount namespace copies just these few mounts.
  child_check(static_cast<int>(::syscall(SYS_pivot_root, ".", ".")), fail_fd, "pivot_root");
  child_check(::umount2(".", MNT_DETACH), fail_fd, "detach old root");
  child_check(::chdir("/"), fail_fd, "chdir /");
  child_check(::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_RDONLY | kSafeFlags, nullptr), fail_fd,
              "remount root read-only");
  // Pages are charged to the memory cgroup of the run that writes them; the size is only a cap.
  child_check(::mount("tmpfs", kCacheDir, "tmpfs", kSafeFlags, kCacheTmpfsOptions), fail_fd,
              "mount box cache");
  child_check(::mkdir(kCacheFiles, 0755), fail_fd, "mkdir box cache files");
  // ReadOnly runs find /box ready: a read-only view of the cache (refilled through kCacheFiles).
  child_check(::mount(kCacheFiles, "/box", nullptr, MS_BIND, nullptr), fail_fd, "bind /box");
  child_check(
      ::mount(nullptr, "/box", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | kSafeFlags, nullptr),
      fail_fd, "remount /box read-only");
}

int64_t mount_run_dirs(const ChildPlan& plan, int fail_fd) {
  int64_t copied =
      plan.work_dir_rw ? mount_fresh_box(plan, fail_fd) : fill_cached_box(plan, fail_fd);
  child_check(::umount2(kCacheDir, MNT_DETACH), fail_fd, "hide box cache");
  child_check(::mount("tmpfs", "/tmp", "tmpfs", kSafeFlags, plan.tmp_options.c_str()), fail_fd,
              "mount /tmp");
  // hidepid=2: the program cannot see init (root).
  child_check(::mount("proc", "/proc", "proc", kSafeFlags | MS_NOEXEC, "hidepid=2"), fail_fd,
              "mount /proc");
  return copied;
}

int64_t copy_regular_files(int from_dir, int to_dir, uid_t owner, gid_t group, int64_t max_files,
                           CopyTarget target) {
  // getdents64 on a stack buffer: no allocation in init.
  alignas(8) char buf[8192];
  int64_t bytes = 0;
  int64_t files = 0;
  if (::lseek(from_dir, 0, SEEK_SET) < 0) return -1;
  for (;;) {
    long n = ::syscall(SYS_getdents64, from_dir, buf, sizeof buf);
    if (n < 0) return -1;
    if (n == 0) return bytes / 1024;
    for (long off = 0; off < n;) {
      // glibc's dirent64 has the kernel's linux_dirent64 layout.
      auto* d = reinterpret_cast<dirent64*>(buf + off);
      off += d->d_reclen;
      if (d->d_type != DT_REG && d->d_type != DT_UNKNOWN) continue;
      if (++files > max_files) return bytes / 1024;
      int64_t copied = copy_one(from_dir, d->d_name, to_dir, owner, group, target);
      if (copied < 0) return -1;
      bytes += copied;
    }
  }
}

}  // namespace judge_box
