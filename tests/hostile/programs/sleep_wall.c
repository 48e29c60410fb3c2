// Sleeps without using CPU: only the wall limit can end it.
// expect: limit=wall signal=9
// limits: wall_ms=1000
#include <unistd.h>
int main(void) {
  sleep(100);
  return 0;
}
