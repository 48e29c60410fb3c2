// The parent exits at once, its child burns CPU. The run must end with the parent and the
// child's CPU must not keep the run (or the host) busy until the CPU limit.
// expect: exit=0 limit=none
// limits: cpu_ms=2000 wall_ms=3000
#include <unistd.h>
int main(void) {
  if (fork() == 0) {
    for (volatile unsigned long x = 0;; ++x) {
    }
  }
  usleep(100 * 1000);  // Let the child get going.
  return 0;
}
