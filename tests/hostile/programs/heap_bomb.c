// Allocates and touches 1 MiB blocks forever: the memory limit must kill it.
// expect: oom limit=memory signal=9
// limits: mem_kib=65536
#include <stdlib.h>
#include <string.h>
int main(void) {
  for (;;) {
    char* p = malloc(1 << 20);
    if (p) memset(p, 1, 1 << 20);
  }
}
