// Fills a migrated database with one running contest for scoreboard_bench, by set-based SQL.
#pragma once

#include <cstdint>
#include <string>

namespace bench {

struct FillSpec {
  std::string contest_id = "bench";
  int teams = 1000, problems = 15, submissions = 100'000;
  int64_t start_ms = 0;     // Contest start; the submissions spread over [start, now).
  int64_t duration_ms = 0;  // The contest runs at fill time.
  int64_t freeze_ms = 0;    // Scoreboard freeze before the end.
  int64_t now_ms = 0;
};

// Contest, problems, teams (registered), and judged submissions with a realistic verdict mix
// (mostly WA and AC, some TLE, RTE, CE, few MLE/OLE), each with its judgement and its two
// events, in time order. Prints progress to stderr. Deterministic for one spec.
void fill_contest(const std::string& database_url, const FillSpec& spec);

// "team0042" for 42 of 1,000 teams: the ids fill_contest() gives, zero-padded to sort.
std::string team_id(int number, int teams);
std::string problem_id(int number, int problems);

}  // namespace bench
