// Prints its whole environment and every environ it can read in /proc: the secrets of the
// test process (DATABASE_URL, REDIS_URL, a token) must appear nowhere.
// expect: exit=0 stdout_has=PATH= stdout_has=done stdout_lacks=hostile-secret stdout_lacks=DATABASE_URL
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
extern char** environ;
static void dump(const char* path) {
  char buf[8192];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, sizeof buf);
  for (ssize_t i = 0; i < n; ++i) putchar(buf[i] ? buf[i] : '\n');
  close(fd);
}
int main(void) {
  for (char** e = environ; *e; ++e) printf("%s\n", *e);
  DIR* d = opendir("/proc");
  struct dirent* e;
  char path[300];
  while (d && (e = readdir(d))) {
    snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
    dump(path);
  }
  dump("/proc/1/environ");
  printf("done\n");
  return 0;
}
