#include <stdio.h>
#include <stdlib.h>
/* Allocates and touches 200 MiB under a 64 MiB limit. */
int main(void) {
  size_t n = (size_t)200 << 20;
  volatile char* p = malloc(n);
  if (!p) return 10;
  for (size_t i = 0; i < n; i += 4096) p[i] = 1;
  printf("%d\n", p[n / 2]);
  return 0;
}
