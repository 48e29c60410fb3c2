// With a writable /box (the judge's compile step) the files land on the host's disk. Each file
// is under the size limit; only a bound on the whole work dir stops 512 of them. The program
// stops itself at 256 MiB so that a missing bound does not fill the host.
// expect: limit=none|output|memory|cpu|wall stdout_lacks=LEAK workdir_max_kib=65536
// needs: rw_workdir
// limits: mem_kib=65536 out_kib=1024 wall_ms=3000 cpu_ms=2000
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
  static char block[512 * 1024];
  memset(block, 'd', sizeof block);
  int i = 0;
  for (; i < 512; ++i) {
    char name[64];
    snprintf(name, sizeof name, "/box/fill-%d", i);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, block, sizeof block) != (ssize_t)sizeof block) break;
    close(fd);
  }
  if (i == 512) printf("LEAK: wrote 256 MiB to the host through /box\n");
  else printf("stopped after %d files\n", i);
  return 0;
}
