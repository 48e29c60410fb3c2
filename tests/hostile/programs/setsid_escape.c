// fork + setsid + double fork: the grandchild leaves the session and process group of the
// program and spins. Exiting the program must still end the run at once and kill it.
// expect: exit=0 limit=none stdout_has=detached
// limits: wall_ms=3000
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    signal(SIGHUP, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    if (fork() == 0) {
      for (volatile unsigned long x = 0;; ++x) {
      }
    }
    _exit(0);
  }
  printf("detached\n");
  return 0;
}
