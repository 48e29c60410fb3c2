#include <stdio.h>
/* Integer division by zero: SIGFPE. */
int main(void) {
  volatile int zero = 0;
  int a, b;
  if (scanf("%d %d", &a, &b) != 2) return 1;
  printf("%d\n", (a + b) / zero);
  return 0;
}
