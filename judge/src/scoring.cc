#include "judge/scoring.h"

#include <optional>

namespace judge {

GroupScore score_groups(const std::vector<TestGroup>& groups, const std::vector<int>& test_groups,
                        const std::vector<Verdict>& verdicts) {
  std::vector<bool> passed(groups.size(), true);
  std::optional<Verdict> first_failure;
  for (size_t i = 0; i < test_groups.size(); ++i) {
    const int group = test_groups[i];
    const bool ran = i < verdicts.size();
    const bool ac = ran && verdicts[i] == Verdict::AC;
    if (ran && !ac && !first_failure) first_failure = verdicts[i];
    if (!ac && group > 0 && static_cast<size_t>(group) <= groups.size()) passed[group - 1] = false;
  }
  GroupScore result;
  bool all_passed = true;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (passed[g]) result.score += groups[g].points;
    all_passed = all_passed && passed[g];
  }
  // A group failing only by skipped tests has a failure before them: first_failure is set.
  if (first_failure)
    result.verdict = *first_failure;
  else if (!all_passed)
    result.verdict = Verdict::JE;  // Untested group: never a silent AC.
  return result;
}

}  // namespace judge
