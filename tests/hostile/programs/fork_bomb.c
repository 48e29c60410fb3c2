// Classic fork bomb: every process forks forever. pids.max must stop it and the cleanup must
// leave no process of the box uid behind.
// expect: limit=processes
// limits: procs=16 cpu_ms=500 wall_ms=1500
#include <unistd.h>
int main(void) {
  for (;;) fork();
}
