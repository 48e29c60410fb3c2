// Floods stderr through iostreams while ignoring SIGXFSZ, so writes fail with EFBIG instead.
// expect: output_truncated limit=output
#include <csignal>
#include <iostream>
int main() {
  std::signal(SIGXFSZ, SIG_IGN);
  for (long i = 0; i < 100000000 && std::cerr; ++i) std::cerr << "flooding stderr " << i << '\n';
  return 0;
}
