// Grows a vector of touched strings forever; the OOM killer, not bad_alloc, must end it.
// expect: oom limit=memory signal=9
// limits: mem_kib=65536
#include <string>
#include <vector>
int main() {
  std::vector<std::string> keep;
  for (;;) keep.emplace_back(1 << 20, 'x');
}
