#include <chrono>
#include <thread>
// Uses no CPU: only the wall-clock limit stops it.
int main() { std::this_thread::sleep_for(std::chrono::seconds(30)); }
