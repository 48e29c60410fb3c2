// Interactive validator: validator input answer feedback_dir, stdin = the team's output, stdout =
// the team's input. The secret is the input file's number.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 4) return 1;
  std::ifstream input(argv[1]);
  int secret = 0;
  if (!(input >> secret)) return 2;
  std::ofstream message(std::string(argv[3]) + "/judgemessage.txt");
  for (int round = 1; round <= 20; ++round) {
    int guess = 0;
    if (!(std::cin >> guess)) {
      message << "no guess in round " << round << "\n";
      return 43;
    }
    if (guess == secret) {
      std::cout << "correct" << std::endl;
      message << "found in " << round << " guesses\n";
      return 42;
    }
    std::cout << (guess < secret ? "higher" : "lower") << std::endl;
  }
  message << "too many guesses\n";
  return 43;
}
