// /proc/1 is the box's init (root): its root, cwd, environ and cmdline must not be readable,
// nor may /proc/<pid>/root lead to the host's filesystem.
// expect: exit=0 stdout_has=done stdout_lacks=LEAK
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static void try_read(const char* path) {
  char buf[200];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n > 0) {
    for (ssize_t i = 0; i < n; ++i) if (!buf[i]) buf[i] = ' ';
    buf[n] = 0;
    printf("LEAK: %s: %.80s\n", path, buf);
  }
  close(fd);
}
int main(void) {
  const char* paths[] = {"/proc/1/root/etc/shadow", "/proc/1/root/etc/hostname",
                         "/proc/1/environ", "/proc/1/cmdline", "/proc/1/cwd/etc/hostname",
                         "/proc/1/root/proc/1/root/etc/shadow", "/proc/1/mountinfo"};
  for (size_t i = 0; i < sizeof paths / sizeof *paths; ++i) try_read(paths[i]);
  char target[256];
  ssize_t n = readlink("/proc/1/exe", target, sizeof target - 1);
  if (n >= 0) { target[n] = 0; printf("LEAK: /proc/1/exe -> %s\n", target); }
  DIR* d = opendir("/proc/1/root");
  if (d) { printf("LEAK: /proc/1/root is listable\n"); closedir(d); }
  // Our own /proc/self/root is the box's root: it must not contain the host's /etc/hostname.
  try_read("/proc/self/root/etc/hostname");
  try_read("/proc/self/root/etc/shadow");
  printf("done\n");
  return 0;
}
