// SetupStore: contest setup writes, each with its events in one transaction: upserts for
// judgectl and tests (running them twice is harmless), conflict-aware inserts for the jury's
// API, and the guarded changes of a running contest (start, thaw, finalize, settings).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/store.h"

namespace core {

struct NewProblem {
  Problem problem;
  struct Test {
    std::string input, answer;
    bool is_sample = false;
    int group = 0;  // Ordinal in groups (from 1); 0: none.
  };
  std::vector<Test> tests;
  std::vector<TestGroup> groups;  // Empty: pass-fail.
  // From a package's submissions/<folder>/: judged like any other, seen by the jury only.
  struct JurySubmission {
    std::string path, language_id, source;
    Verdict expected_verdict = Verdict::AC;
  };
  std::vector<JurySubmission> jury_submissions;
  // validation custom [interactive]: the validator's source files (name, content).
  std::vector<std::pair<std::string, std::string>> validator_files;
};

// The hidden owner of jury submissions: not in any contest, so it never shows on a scoreboard.
inline constexpr const char* kJuryTeamId = "_jury";

// A whole contest's setup, as a contest package holds it (package/contest_package.h reads one).
struct ContestSetup {
  Contest contest;
  std::vector<Organization> organizations;  // Global objects: every contest's feed shows them.
  std::vector<Group> groups;
  std::vector<Team> teams;  // Each registered in the contest, with its groups.
  std::vector<NewProblem> problems;
  struct Account {
    std::string username, password_hash;
    Role role = Role::Team;
    std::optional<std::string> team_id;
  };
  std::vector<Account> accounts;
};

// Outcome of a guarded contest change: Conflict when the contest's state no longer allows it.
enum class ContestUpdate { Updated, UnknownContest, Conflict };

class SetupStore {
 public:
  explicit SetupStore(Store& store) : db_(store.impl()) {}

  // Upserts (judgectl, tests).
  void upsert_contest(const Contest& contest);
  void upsert_team(const Team& team);
  void add_team_to_contest(const std::string& contest_id, const std::string& team_id);
  void replace_problem(const NewProblem& problem);

  // Creation through the API, where an existing id is a conflict: each returns false (and writes
  // nothing) when the id is taken. Referenced ids must exist (checked by the caller; a
  // foreign-key failure is a StoreError).
  bool insert_contest(const Contest& contest);
  bool insert_organization(const Organization& organization);
  bool insert_group(const Group& group);
  // The team with its group memberships, registered in the contest.
  bool insert_team(const std::string& contest_id, const Team& team);
  bool insert_problem(const NewProblem& problem);
  // The whole setup in one transaction with its events: all of it, or nothing when an id is
  // taken (the contest, an organization, group or team, a username). Returns what was taken
  // ("contest 'wf'", "username 'team1'"), nullopt once stored. References must be valid
  // (checked by the caller; a foreign-key failure is a StoreError and stores nothing either).
  std::optional<std::string> insert_contest_setup(const ContestSetup& setup);

  // Name, formal name, duration, freeze, penalty and scoreboard type of an existing contest
  // (start, thaw and finalization have their own guarded changes). False: unknown contest.
  bool update_contest_settings(const Contest& contest);
  // Thaws the public scoreboard at thaw_ms (now or later). False: unknown contest.
  bool set_contest_thaw(const std::string& contest_id, int64_t thaw_ms);
  // Schedules (start_ms) or unschedules (nullopt) a contest that has not started at now_ms and
  // has no thaw set; Conflict otherwise. Writes a contests event in the same transaction.
  ContestUpdate set_contest_start(const std::string& contest_id,
                                  const std::optional<int64_t>& start_ms, int64_t now_ms);
  // Makes the results final at now_ms: only once the contest ended, nothing is left unjudged, no
  // current judgement is JE, no team's question waits for an answer and it is not finalized yet
  // (Conflict otherwise). Writes a state event in the same transaction. extra_bronze: B
  // (core/awards.h), stored with the finalization when given.
  ContestUpdate set_contest_finalized(const std::string& contest_id, int64_t now_ms,
                                      std::optional<int> extra_bronze = std::nullopt);

 private:
  Store::Impl& db_;
};

}  // namespace core
