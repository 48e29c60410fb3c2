// Kills its parent (the box's init) and pid 1, with SIGKILL and SIGSTOP. Neither may succeed;
// the run must report facts (not a sandbox failure) and end within the wall limit.
// expect: exit=0 limit=none stdout_has=done stdout_lacks=LEAK
// limits: wall_ms=2000
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
  pid_t parent = getppid();
  int sigs[] = {SIGSTOP, SIGKILL, SIGTERM};
  for (int i = 0; i < 3; ++i) {
    if (kill(parent, sigs[i]) == 0) printf("LEAK: signal %d to parent %d\n", sigs[i], parent);
    if (kill(1, sigs[i]) == 0) printf("LEAK: signal %d to pid 1\n", sigs[i]);
  }
  usleep(200 * 1000);  // Give a stopped or dying parent time to matter.
  printf("done\n");
  return 0;
}
