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

void emit(pqxx::work& w, const std::string& contest_id, const char* type,
          const std::optional<std::string>& object_id, const nlohmann::json& data,
          const std::optional<std::string>& team_id = std::nullopt);
// Global objects (organizations, groups) appear in every contest's feed.
void emit_everywhere(pqxx::work& w, const char* type, const std::string& object_id,
                     const nlohmann::json& data);
// The contest object and, when it changed, its state; on first sight also the judgement types
// and languages, which every feed starts with.
void emit_contest(pqxx::work& w, const std::string& contest_id);
void emit_problem(pqxx::work& w, const std::string& contest_id, const std::string& problem_id);
void emit_team(pqxx::work& w, const std::string& contest_id, const std::string& team_id);
// A finished judgement and its runs, visible to the submitting team and the jury.
void emit_judgement(pqxx::work& w, const Judgement& judgement, const std::string& team_id);
// A judgement that a new one just replaced, now with current = false (its runs are unchanged).
void emit_replaced_judgement(pqxx::work& w, int64_t judgement_id, const std::string& team_id);
// Takes contest_id's event lock for the rest of the transaction, as every emit does: event ids
// of one contest must commit in id order (a writer that inserts its events itself takes it).
void lock_contest_events(pqxx::work& w, const std::string& contest_id);

}  // namespace core
