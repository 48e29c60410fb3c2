// 1000 std::threads; creation failures surface as std::system_error and are counted.
// expect: exit=0 limit=processes stdout_has=created= stdout_lacks=created=1000
#include <chrono>
#include <cstdio>
#include <system_error>
#include <thread>
#include <unistd.h>
int main() {
  int created = 0;
  for (int i = 0; i < 1000; ++i) {
    try {
      std::thread([] { std::this_thread::sleep_for(std::chrono::seconds(100)); }).detach();
      ++created;
    } catch (const std::system_error&) {
    }
  }
  std::printf("created=%d\n", created);
  std::fflush(stdout);
  _exit(0);
}
