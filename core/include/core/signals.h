// Graceful shutdown for every binary: SIGINT and SIGTERM are blocked in all threads and taken
// synchronously by one waiter, so no handler runs at an arbitrary point of a worker thread.
#pragma once

namespace core {

// Call first in main(), before anything (logging, libpq, Pistache) can start a thread.
void block_stop_signals();
// Blocks until SIGINT or SIGTERM arrives; returns the signal number.
int wait_for_stop_signal();

}  // namespace core
