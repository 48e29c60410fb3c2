// Children that ignore every catchable signal and sleep far past the main process's exit.
// expect: exit=0 limit=none stdout_has=parent_done
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
  for (int i = 0; i < 8; ++i) {
    if (fork() == 0) {
      for (int s = 1; s < 32; ++s) signal(s, SIG_IGN);
      for (;;) sleep(100);
    }
  }
  printf("parent_done\n");
  return 0;
}
