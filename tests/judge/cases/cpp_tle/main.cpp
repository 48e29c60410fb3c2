#include <iostream>
int main() {
  // volatile: an infinite loop without side effects would be undefined behaviour in C++.
  volatile unsigned long x = 0;
  for (;;) x = x + 1;
}
