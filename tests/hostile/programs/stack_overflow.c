// Unbounded recursion. The stack rlimit (SIGSEGV) or the memory limit (SIGKILL) must end it.
// expect: signal=11|9 limit=none|memory
// limits: mem_kib=65536
#include <stdio.h>
static int down(int n) {
  volatile char frame[4096];
  frame[0] = (char)n;
  return down(n + 1) + frame[0];
}
int main(void) {
  printf("%d\n", down(0));
  return 0;
}
