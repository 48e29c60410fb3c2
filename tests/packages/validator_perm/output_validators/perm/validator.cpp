// validator input answer feedback_dir < team_output: 42 if the team printed a permutation of
// 1..n, else 43 with the reason in feedback_dir/judgemessage.txt.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "perm_check.h"

int main(int argc, char** argv) {
  if (argc < 4) return 1;
  std::ifstream input(argv[1]);
  long n = 0;
  if (!(input >> n)) return 2;
  std::ofstream message(std::string(argv[3]) + "/judgemessage.txt");
  std::vector<long> values;
  for (long v; std::cin >> v;) values.push_back(v);
  if (!is_permutation_of_1_to_n(values, n)) {
    message << "not a permutation of 1.." << n << " (" << values.size() << " numbers)\n";
    return 43;
  }
  message << "permutation of " << n << " accepted\n";
  return 42;
}
