// The machine-readable header of a hostile program: what it must end with, under which limits.
//
// A program file starts with comment lines ("//" or "#"); the ones of the form "key: value"
// below are read, everything else is prose:
//   expect: exit=0 signal=9|11 limit=memory|none oom output_truncated stdout_has=X stdout_lacks=Y
//   limits: cpu_ms=1000 wall_ms=3000 mem_kib=262144 procs=64 out_kib=1024 files=64
//   args: {port} {secret} ...      (placeholders the test fills in, see hostile_test.cc)
//   needs: other_box bystander rw_workdir rerun   (extra host fixtures, see hostile_test.cc)
//   known-hole: <why>              (the test is skipped with this reason; see the report)
// "a|b" accepts either value. stdout_has/stdout_lacks may repeat. workdir_max_kib=N bounds what
// the run left in the work dir on the host.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sandbox/sandbox.h"

namespace hostile {

struct Expectation {
  std::set<int> exit_codes;               // Non-empty: must exit normally with one of these.
  std::set<int> signals;                  // Non-empty: must die of one of these.
  std::set<sandbox::LimitHit> limits;     // Non-empty: limit_hit must be one of these.
  bool oom = false;                       // oom_killed must be true.
  bool output_truncated = false;          // output_truncated must be true.
  std::vector<std::string> stdout_has;    // Substrings stdout must contain.
  std::vector<std::string> stdout_lacks;  // Substrings stdout must not contain.
  int64_t workdir_max_kib = -1;           // >= 0: bound on the work dir's total file size.
};

struct ProgramHeader {
  Expectation expect;
  sandbox::Limits limits;         // Battery defaults, overridden by "limits:".
  std::vector<std::string> args;  // Raw, placeholders not yet substituted.
  std::set<std::string> needs;
  std::optional<std::string> known_hole;
};

// The battery's defaults: short runs so that ~35 programs finish in a couple of minutes.
sandbox::Limits battery_default_limits();

// Parses the header of source. Throws std::invalid_argument naming the bad line, also when
// "expect:" is missing or says nothing about how the run ends (exit, signal or limit).
ProgramHeader parse_header(const std::string& source);

}  // namespace hostile
