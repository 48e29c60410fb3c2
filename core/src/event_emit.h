// Private to core/: the event outbox's writers (event_log.cc). Each runs in the caller's
// transaction, the one of the change it describes, and appends the object as a GET would serve
// it now, so the feed and the REST endpoints never disagree.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/model.h"

namespace core {

// What a team event (team_id set) is to that team: the object (Shows), or its deletion
// (Deletes: the object left the team's view, as a replaced judgement and its runs do; the jury
// still sees the object).
enum class ForTeam { Shows, Deletes };
// Whether the event changes what the scoreboard reads (then it bumps contest_changes, the
// scoreboard cache's key: migrations 0006, 0016). Unchanged: a submission's judging_state,
// clarifications, awards (which follow from the board).
enum class Board { Moves, Unchanged };

void emit(pqxx::work& w, const std::string& contest_id, const char* type,
          const std::optional<std::string>& object_id, const nlohmann::json& data,
          const std::optional<std::string>& team_id = std::nullopt,
          ForTeam for_team = ForTeam::Shows, Board board = Board::Moves);
// Global objects (organizations, groups) appear in every contest's feed.
void emit_everywhere(pqxx::work& w, const char* type, const std::string& object_id,
                     const nlohmann::json& data);
// The contest object and, when it changed, its state; on first sight also the judgement types
// and languages, which every feed starts with.
void emit_contest(pqxx::work& w, const std::string& contest_id);
void emit_problem(pqxx::work& w, const std::string& contest_id, const std::string& problem_id);
void emit_team(pqxx::work& w, const std::string& contest_id, const std::string& team_id);
// The submission as it is now, after its judging_state changed (claimed, released, requeued,
// judged, rejudged): a client that follows the feed sees the state GET shows. Board::Unchanged:
// the board counts queued and judging alike, and a verdict comes with its judgement's event.
void emit_submission(pqxx::work& w, int64_t submission_id);
// Every submission, judgement and run of the contest again: their contest times count from the
// start, which just moved (before the start only the jury's submissions exist).
void emit_contest_times(pqxx::work& w, const std::string& contest_id);
// A finished judgement and its runs, visible to the submitting team and the jury.
void emit_judgement(pqxx::work& w, const Judgement& judgement, const std::string& team_id);
// A judgement that a new one just replaced, now with current = false, and its runs (unchanged):
// deletions for the team.
void emit_replaced_judgement(pqxx::work& w, int64_t judgement_id, const std::string& team_id);
// Takes contest_id's event lock for the rest of the transaction, as every emit does: event ids
// of one contest must commit in id order (a writer that inserts its events itself takes it).
void lock_contest_events(pqxx::work& w, const std::string& contest_id);

}  // namespace core
