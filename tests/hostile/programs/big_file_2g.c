// Writes a 2 GiB file to /tmp: RLIMIT_FSIZE (out_kib) must stop it long before.
// expect: signal=25 limit=output stdout_has=writing stdout_lacks=LEAK
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
  static char block[1 << 20];
  memset(block, 'f', sizeof block);
  int fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror("open"); return 3; }
  printf("writing\n");
  fflush(stdout);
  for (int i = 0; i < 2048; ++i) {
    if (write(fd, block, sizeof block) != (ssize_t)sizeof block) { perror("write"); return 4; }
  }
  printf("LEAK: wrote 2 GiB\n");
  return 0;
}
