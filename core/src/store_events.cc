// Store: the event feed outbox. Writers run inside the transaction of the change they describe;
// readers serve GET .../event-feed.
#include "core/clics.h"
#include "core/scoreboard.h"
#include "core/store.h"
#include "core/timefmt.h"
#include "store_impl.h"

namespace core {
namespace {

bool emit_state_if_changed(pqxx::work& w, const Contest& contest, int64_t now_ms) {
  w.exec_prepared("lock_contest_events", contest.id);
  return w.exec_prepared("insert_state_if_changed", contest.id,
                         state_json(contest_state(contest, now_ms)).dump())
             .affected_rows() == 1;
}

void emit_catalog_once(pqxx::work& w, const std::string& contest_id) {
  if (!w.exec_prepared("catalog_emitted", contest_id).empty()) return;
  for (const auto& type : judgement_types())
    emit(w, contest_id, "judgement-types", type.id, judgement_type_json(type));
  for (const auto& r : w.exec_prepared("languages")) {
    Language l{r[0].c_str(), r[1].c_str(), {}, r[3].c_str(), {}, {}, r[6].as<bool>()};
    l.extensions = nlohmann::json::parse(r[2].c_str()).get<std::vector<std::string>>();
    l.compile_argv = nlohmann::json::parse(r[4].c_str()).get<std::vector<std::string>>();
    l.run_argv = nlohmann::json::parse(r[5].c_str()).get<std::vector<std::string>>();
    if (l.enabled) emit(w, contest_id, "languages", l.id, language_json(l));
  }
  // Organizations and groups are global: a new contest's feed starts with the existing ones.
  for (const auto& r : w.exec_prepared("organizations", nullptr)) {
    Organization o{r[0].c_str(), r[1].c_str(), std::nullopt, std::nullopt};
    if (!r[2].is_null()) o.formal_name = r[2].c_str();
    if (!r[3].is_null()) o.country = r[3].c_str();
    emit(w, contest_id, "organizations", o.id, organization_json(o));
  }
  for (const auto& r : w.exec_prepared("groups", nullptr))
    emit(w, contest_id, "groups", r[0].c_str(), group_json({r[0].c_str(), r[1].c_str()}));
}

}  // namespace

void emit(pqxx::work& w, const std::string& contest_id, const char* type,
          const std::optional<std::string>& object_id, const nlohmann::json& data,
          const std::optional<std::string>& team_id) {
  w.exec_prepared("lock_contest_events", contest_id);
  w.exec_prepared("insert_event", contest_id, type, nullable(object_id), data.dump(),
                  nullable(team_id));
}

void emit_everywhere(pqxx::work& w, const char* type, const std::string& object_id,
                     const nlohmann::json& data) {
  w.exec_prepared("lock_all_events");
  w.exec_prepared("insert_event_everywhere", type, object_id, data.dump());
}

void emit_contest(pqxx::work& w, const std::string& contest_id) {
  auto contest = read_contest(w, contest_id);
  if (!contest) return;
  emit_catalog_once(w, contest_id);
  // CLICS 2023-06: the contest's notification type is "contest" and, a singleton, has a null id.
  emit(w, contest_id, "contest", std::nullopt, contest_json(*contest));
  emit_state_if_changed(w, *contest, now_ms());
}

void emit_problem(pqxx::work& w, const std::string& contest_id, const std::string& problem_id) {
  auto rows = w.exec_prepared("problems", contest_id, problem_id);
  if (!rows.empty()) emit(w, contest_id, "problems", problem_id, problem_json(problem_from(rows[0])));
}

void emit_team(pqxx::work& w, const std::string& contest_id, const std::string& team_id) {
  auto rows = w.exec_prepared("teams", contest_id, team_id);
  if (!rows.empty()) emit(w, contest_id, "teams", team_id, team_json(team_from(rows[0])));
}

void emit_judgement(pqxx::work& w, const Judgement& judgement, const std::string& team_id) {
  auto contest = read_contest(w, judgement.contest_id);
  if (!contest) return;
  const std::string& cid = judgement.contest_id;
  emit(w, cid, "judgements", std::to_string(judgement.id), judgement_json(judgement, *contest),
       team_id);
  for (const auto& run : judgement.runs) {
    RunInfo info{run.id, judgement.id, cid, team_id, true, judgement.end_ms, run};
    emit(w, cid, "runs", std::to_string(run.id), run_json(info, *contest), team_id);
  }
}

void emit_replaced_judgement(pqxx::work& w, int64_t judgement_id, const std::string& team_id) {
  auto rows = w.exec_prepared("judgement", judgement_id);
  if (rows.empty()) return;
  Judgement judgement = judgement_from(rows[0]);
  auto contest = read_contest(w, judgement.contest_id);
  if (contest)
    emit(w, judgement.contest_id, "judgements", std::to_string(judgement_id),
         judgement_json(judgement, *contest), team_id);
}

std::vector<Event> Store::events(const std::string& contest_id, int64_t after_id, int limit) {
  auto events = in_read(*impl_, "events", [&](pqxx::transaction_base& w) {
    std::vector<Event> out;
    for (const auto& r : w.exec_prepared("events_after", contest_id, after_id, limit)) {
      Event e{r[0].as<int64_t>(), r[1].c_str(), std::nullopt, r[3].is_null() ? "null" : r[3].c_str(),
              std::nullopt};
      if (!r[2].is_null()) e.object_id = r[2].c_str();
      if (!r[4].is_null()) e.team_id = r[4].c_str();
      out.push_back(std::move(e));
    }
    return out;
  });
  // Event writers commit before their commit is on disk (in_event_transaction): a feed must not
  // hand out an event a crash could still take back, nor its token.
  if (!events.empty() && !in_read(*impl_, "events", [](pqxx::transaction_base& r) {
        return r.exec_prepared1("wal_flushed")[0].as<bool>();
      }))
    make_durable(*impl_, "events");
  return events;
}

bool Store::event_visible(const std::string& contest_id, int64_t event_id,
                          const EventReader& reader) {
  return in_transaction(*impl_, "event_visible", [&](pqxx::work& w) {
    return !w.exec_prepared("event_visible", contest_id, event_id, reader.everything,
                            nullable(reader.team_id), reader.problems_shown)
                .empty();
  });
}

std::optional<int64_t> Store::last_visible_event_id(const std::string& contest_id,
                                                    const EventReader& reader) {
  return in_transaction(*impl_, "last_visible_event_id", [&](pqxx::work& w) {
    auto row = w.exec_prepared1("last_visible_event_id", contest_id, reader.everything,
                                nullable(reader.team_id), reader.problems_shown);
    return row[0].is_null() ? std::nullopt : std::optional<int64_t>(row[0].as<int64_t>());
  });
}

int64_t Store::last_event_id(const std::string& contest_id) {
  return in_transaction(*impl_, "last_event_id", [&](pqxx::work& w) {
    return w.exec_prepared1("last_event_id", contest_id)[0].as<int64_t>();
  });
}

bool Store::record_state(const std::string& contest_id, int64_t now_ms) {
  return in_transaction(*impl_, "record_state", [&](pqxx::work& w) {
    auto contest = read_contest(w, contest_id);
    if (!contest) return false;
    // The lock also makes the compare-and-insert atomic across API processes.
    return emit_state_if_changed(w, *contest, now_ms);
  });
}

}  // namespace core
