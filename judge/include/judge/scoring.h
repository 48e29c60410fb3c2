// Scored problems: test groups and the ONE pure function that scores a judged submission.
//
// Rules (legacy Kattis scoring, all-or-nothing groups summed):
//   1. A test belongs to at most one group (group 0: none, e.g. samples: worth nothing).
//   2. A group earns its points exactly when every one of its tests ran and is AC.
//   3. The score is the sum of the earned points.
//   4. The verdict is AC when every test that ran is AC and every group earned its points,
//      otherwise the verdict of the first non-AC test in test order (samples included).
#pragma once

#include <string>
#include <vector>

#include "judge/verdict.h"

namespace judge {

using domain::TestGroup;

struct GroupScore {
  Verdict verdict = Verdict::AC;
  double score = 0;
};

// groups[g - 1] is group g; test_groups[i] is the group of test i (0: none); verdicts[i] is the
// verdict of test i, for the tests that ran (a shorter list: the rest were skipped).
GroupScore score_groups(const std::vector<TestGroup>& groups, const std::vector<int>& test_groups,
                        const std::vector<Verdict>& verdicts);

}  // namespace judge
