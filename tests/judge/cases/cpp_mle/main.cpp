#include <iostream>
#include <vector>
// Allocates and touches 200 MiB under a 64 MiB limit.
int main() {
  std::vector<char> v(std::size_t{200} << 20);
  for (std::size_t i = 0; i < v.size(); i += 4096) v[i] = static_cast<char>(i);
  long sum = 0;
  for (std::size_t i = 0; i < v.size(); i += 4096) sum += v[i];
  std::cout << sum << '\n';
}
