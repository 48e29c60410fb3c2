// kill(-1, SIGKILL) signals everything the caller may signal. It must reach nothing outside the
// box (the test process, its parent, bystander processes of root and of nobody); the program
// itself survives it, by definition of kill(-1).
// expect: exit=0 stdout_has=survived
// needs: bystander
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
  for (int i = 0; i < 4; ++i)
    if (fork() == 0) for (;;) pause();
  kill(-1, SIGKILL);
  kill(-1, SIGSTOP);
  kill(-1, SIGTERM);
  printf("survived\n");
  return 0;
}
