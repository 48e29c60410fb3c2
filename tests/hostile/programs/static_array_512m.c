// A 512 MiB static array, fully touched, under a 256 MiB limit.
// expect: oom limit=memory signal=9
#include <stdio.h>
static char big[512u << 20];
int main(void) {
  for (unsigned long i = 0; i < sizeof big; i += 4096) big[i] = 1;
  printf("LEAK: touched 512 MiB\n");
  return big[12345];
}
