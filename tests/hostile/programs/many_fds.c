// Opens /dev/null until refused, tries to raise RLIMIT_NOFILE and dup2 to a huge fd. The fd
// limit (64) must hold.
// expect: exit=0 stdout_has=capped stdout_lacks=LEAK
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
int main(void) {
  struct rlimit big = {1 << 20, 1 << 20};
  if (setrlimit(RLIMIT_NOFILE, &big) == 0) printf("LEAK: raised RLIMIT_NOFILE\n");
  int count = 0;
  while (count < 100000 && open("/dev/null", O_RDONLY) >= 0) ++count;
  if (dup2(0, 100000) >= 0) printf("LEAK: dup2 to fd 100000\n");
  if (count <= 64) printf("capped at %d\n", count);
  else printf("LEAK: opened %d fds\n", count);
  return 0;
}
