// Writes to stdout forever: the output limit must stop it (SIGXFSZ) at exactly out_kib.
// expect: output_truncated limit=output signal=25
#include <string.h>
#include <unistd.h>
int main(void) {
  static char block[65536];
  memset(block, 'y', sizeof block);
  for (;;) write(1, block, sizeof block);
}
