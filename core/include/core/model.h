// Domain types shared by the API and the workers. Plain data; times are Unix epoch milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/types.h"

namespace core {

using domain::SourceFile;
using domain::TestGroup;
using domain::Verdict;

enum class Role { Admin, Jury, Team };
const char* to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

enum class SubmissionState { Queued, Judging, Judged };
const char* to_string(SubmissionState state);

struct Team {
  std::string id, name, display_name;
  std::optional<std::string> organization_id;
  std::vector<std::string> group_ids;
};

struct Organization {
  std::string id, name;
  std::optional<std::string> formal_name;
  std::optional<std::string> country;  // ISO 3166-1 alpha-3.
};

struct Group {
  std::string id, name;
};

struct User {
  int64_t id = 0;
  std::string username, password_hash;
  Role role = Role::Team;
  std::optional<std::string> team_id;
};

struct Contest {
  std::string id, name, formal_name;
  std::optional<int64_t> start_ms;  // Unset: not scheduled.
  int64_t duration_ms = 0;
  std::optional<int64_t> freeze_ms;  // Scoreboard freeze duration before the end.
  int penalty_minutes = 20;
  std::string scoreboard_type = "pass-fail";
  // Set by the jury: from this time on the public scoreboard shows what the freeze hid.
  std::optional<int64_t> thawed_ms;
  std::optional<int64_t> finalized_ms;  // Results are final (CLICS state.finalized).
  // Medals (core/awards.h): ranks 1..gold, then silver, then bronze + extra_bronze (the CCS
  // requirements' 4, 4, 4 and B, B given at finalize).
  int gold_medals = 4, silver_medals = 4, bronze_medals = 4, extra_bronze = 0;
};

struct Problem {
  std::string contest_id, id, label, name;
  int ordinal = 0;
  std::optional<std::string> rgb;
  int time_limit_ms = 1000;
  int64_t memory_limit_kib = 262144;
  int64_t output_limit_kib = 8192;
  std::string validation = "default";
  std::string validator_flags;
  int test_count = 0;
};

struct TestCase {
  int64_t id = 0;
  int ordinal = 0;
  bool is_sample = false;
  std::string input_sha, answer_sha;
  int group = 0;  // Ordinal of its TestGroup; 0: none (samples, pass-fail problems).
};

// What a language's entry point names (languages.entry_kind): nothing (every file is compiled),
// the file to run, or the class whose main() runs (Java; Kotlin's file facade class).
enum class EntryKind { None, File, JavaClass, KotlinClass };

struct Language {
  std::string id, name;
  std::vector<std::string> extensions;
  std::string source_file;
  std::vector<std::string> compile_argv, run_argv;
  bool enabled = true;
  EntryKind entry_kind = EntryKind::None;
  std::vector<std::string> version_argv;  // Empty: compile_argv[0] --version.
  std::string selftest_source;            // Prints "hello"; checked at worker start.
};

struct Submission {
  int64_t id = 0;
  std::string contest_id, team_id, problem_id, language_id;
  std::string source;
  int64_t submitted_ms = 0;
  SubmissionState state = SubmissionState::Queued;
  int attempt = 0;
  // The file name the team uploaded (zip entry path); unset for plain "source" submissions.
  std::optional<std::string> filename;
  // Multi-file submissions only (then source is empty and filename unset): every file.
  std::vector<SourceFile> files;
  std::optional<std::string> entry_point;  // CLICS entry_point, resolved at submit time.
};

struct Run {
  int ordinal = 0;
  int64_t testcase_id = 0;
  Verdict verdict = Verdict::JE;
  int cpu_ms = 0, wall_ms = 0;
  int64_t memory_kib = 0;
  int64_t id = 0;             // Assigned by the store.
  std::string judge_message;  // A custom validator's judgemessage.txt: for the jury only.
};

struct Judgement {
  int64_t id = 0, submission_id = 0;
  std::string contest_id;
  int attempt = 0;
  std::optional<Verdict> verdict;  // Empty while the judgement runs.
  bool is_current = true, is_manual = false;
  std::string judged_by;
  int64_t start_ms = 0, end_ms = 0;
  std::optional<int> max_run_time_ms;
  std::optional<double> score;  // Scored problems: the sum of the passed groups' points.
  std::string compile_output;
  std::vector<Run> runs;
};

// A run as the CLICS API serves it: the run plus the judgement, team and time it belongs to.
struct RunInfo {
  int64_t id = 0, judgement_id = 0;
  std::string contest_id, team_id;
  bool judgement_current = true;
  // Runs are recorded together when their judgement ends: that end time is the run's time.
  int64_t time_ms = 0;
  Run run;
};

// A clarification (CLICS 2023-06): a team's question (from_team_id), the jury's answer to one
// team (to_team_id) or to all, or an announcement (neither). Ids are text: an admin may choose one.
struct Clarification {
  std::string contest_id, id;
  std::optional<std::string> from_team_id, to_team_id, reply_to_id, problem_id;
  std::string text;
  int64_t time_ms = 0;
  std::string created_by;  // The account that sent it.

  // The one team that may see it besides the jury; empty: everyone (an answer to all or an
  // announcement). Also the team of its event (the feed's visibility).
  std::optional<std::string> audience_team() const {
    return from_team_id ? from_team_id : to_team_id;
  }
};

}  // namespace core
