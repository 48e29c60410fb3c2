// Fills /tmp with 512 KiB files (each under the file size limit) until something stops it:
// ENOSPC of the box's own tmpfs, or the memory limit its pages are charged to. The host's /tmp
// (where the canary lives) must not be the box's.
// expect: limit=none|memory stdout_lacks=LEAK
// args: {canary}
// limits: mem_kib=65536
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char** argv) {
  if (argc > 1 && access(argv[1], F_OK) == 0) printf("LEAK: host /tmp visible\n");
  static char block[512 * 1024];
  memset(block, 't', sizeof block);
  for (int i = 0;; ++i) {
    char name[64];
    snprintf(name, sizeof name, "/tmp/fill-%d", i);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, block, sizeof block) != (ssize_t)sizeof block) {
      printf("full after %d files: %s\n", i, strerror(errno));
      return 0;
    }
    close(fd);
  }
}
