#include "core/signals.h"

#include <pthread.h>
#include <signal.h>

namespace core {
namespace {
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void block_stop_signals() {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_stop_signal() {
  sigset_t set = stop_signals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  return signal_number;
}

}  // namespace core
