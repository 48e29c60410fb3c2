// ContestReads: the contest objects the API serves (contests, problems, teams, languages,
// organizations, groups) and the scoreboard's inputs with the change counter that guards them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/scoreboard.h"
#include "core/store.h"

namespace core {

class ContestReads {
 public:
  explicit ContestReads(Store& store) : db_(store.impl()) {}

  // Empty optional = unknown id.
  std::vector<Contest> contests();
  std::optional<Contest> contest(const std::string& contest_id);
  // How many changes the contest's scoreboard inputs have seen (migration 0006): it moves with
  // every committed event, team registration and problem change of the contest. Read it before
  // the data it guards, and the data is never older than the value.
  int64_t contest_changes(const std::string& contest_id);
  // The contest and its contest_changes() in one statement (one snapshot); empty: unknown.
  std::optional<std::pair<Contest, int64_t>> contest_with_changes(const std::string& contest_id);
  // Every submission of the contest, in no particular order, with its current verdict (empty
  // while not judged): the input of compute_scoreboard(), in one query.
  std::vector<ScoreboardSubmission> scoreboard_submissions(const std::string& contest_id);

  std::vector<Problem> problems(const std::string& contest_id);
  std::optional<Problem> problem(const std::string& contest_id, const std::string& problem_id);
  std::vector<Language> languages();
  std::vector<Team> teams(const std::string& contest_id);
  std::optional<Team> team(const std::string& contest_id, const std::string& team_id);
  std::vector<Organization> organizations();
  std::optional<Organization> organization(const std::string& organization_id);
  std::vector<Group> groups();
  std::optional<Group> group(const std::string& group_id);

 private:
  Store::Impl& db_;
};

}  // namespace core
