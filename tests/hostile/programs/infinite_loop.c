// Spins forever: the CPU limit must end it.
// expect: limit=cpu signal=9|24
int main(void) {
  for (volatile unsigned long x = 0;; ++x) {
  }
}
