// Spins forever: the CPU limit must end it. The wall limit is generous because -j2 runs fork
// bombs next to it on two cores, where CPU time accrues slower than wall time.
// expect: limit=cpu signal=9|24
// limits: cpu_ms=300 wall_ms=6000
int main(void) {
  for (volatile unsigned long x = 0;; ++x) {
  }
}
