// EventLog: the event feed outbox. Writers (event_emit.h) run inside the transaction of the
// change they describe; readers serve GET .../event-feed.
#include "core/event_log.h"

#include <map>

#include "core/awards.h"
#include "core/clics.h"
#include "core/scoreboard.h"
#include "core/setup_store.h"
#include "core/timefmt.h"
#include "event_emit.h"
#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// The first event of contest $1 that a caller who may not see problems yet waits at (its first
// problems event; api::event_visibility), or the largest id when problems are `shown`.
#define EVENTS_WAIT_FROM(shown)                                                     \
  "coalesce(CASE WHEN " shown                                                       \
  " THEN NULL ELSE (SELECT p.id FROM events p WHERE p.contest_id "                  \
  "= $1 AND p.team_id IS NULL AND p.type = 'problems' ORDER BY p.id LIMIT 1) END, " \
  "9223372036854775807)"

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"insert_event",
     "INSERT INTO events (contest_id, type, object_id, data, team_id, team_deletes, moves_board) "
     "VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)"},
    {"insert_event_everywhere",
     "INSERT INTO events (contest_id, type, object_id, data) "
     "SELECT id, $1, $2, $3::jsonb FROM contests ORDER BY id"},
    // Event ids of one contest must commit in id order, or a feed reader that has passed id N
    // could miss a slower transaction's N-1. Writers serialize per contest until they commit.
    {"lock_contest_events", "SELECT pg_advisory_xact_lock(17758, hashtext($1))"},
    // In contest id order (the sorted subquery: a plain ORDER BY sorts after locking).
    {"lock_all_events",
     "SELECT pg_advisory_xact_lock(17758, hashtext(c.id)) FROM (SELECT id FROM contests ORDER BY id) c"},
    // Whether every commit visible now is on disk (no: EventLog::events waits for it).
    {"wal_flushed", "SELECT pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn()"},
    {"events_after",
     "SELECT id, type, object_id, data::text, team_id, team_deletes FROM events WHERE "
     "contest_id = $1 AND id > $2 ORDER BY id LIMIT $3"},
    {"last_event_id", "SELECT coalesce(max(id), 0) FROM events WHERE contest_id = $1"},
    // What a caller may see (core::EventReader; the rules of api::event_visibility): accounts
    // only when $6 (admin); $3 jury (everything else), else contest-wide events and team $4's
    // own; before the start ($5 false) nothing from the first problems event on, where a feed
    // waits.
    {"event_visible",
     "SELECT 1 FROM events WHERE contest_id = $1 AND id = $2 AND (type <> 'accounts' OR "
     "$6::boolean) AND ($3::boolean OR team_id IS NULL OR team_id = $4::text) AND ($3::boolean "
     "OR id < " EVENTS_WAIT_FROM("$5::boolean") ")"},
    // The newest of those, same parameters without the id ($2 jury, $3 team, $4 shown, $5
    // accounts): the contest-wide and the team's newest each by an index (migration 0013),
    // never a scan through other teams' events.
    {"last_visible_event_id",
     "SELECT greatest((SELECT id FROM events WHERE $2::boolean AND contest_id = $1 AND "
     "(type <> 'accounts' OR $5::boolean) ORDER BY id DESC LIMIT 1), (SELECT id FROM events WHERE contest_id = $1 AND team_id IS NULL AND "
     "type <> 'accounts' AND id < " EVENTS_WAIT_FROM("$4::boolean") " ORDER BY id DESC LIMIT 1), "
     "(SELECT id FROM events WHERE contest_id = $1 AND team_id = $3::text AND id < "
     EVENTS_WAIT_FROM("$4::boolean") " ORDER BY id DESC LIMIT 1))"},
    {"insert_state_if_changed",
     "INSERT INTO events (contest_id, type, object_id, data) SELECT $1, 'state', NULL, $2::jsonb "
     "WHERE NOT EXISTS (SELECT 1 FROM (SELECT data FROM events WHERE contest_id = $1 AND "
     "type = 'state' ORDER BY id DESC LIMIT 1) last WHERE last.data = $2::jsonb)"},
    {"catalog_emitted", "SELECT 1 FROM events WHERE contest_id = $1 AND type = 'languages' LIMIT 1"},
    // A submission's columns as "submission" reads them, without the source (not in the event).
    {"submission_for_event",
     "SELECT id, contest_id, team_id, problem_id, language_id, ''::bytea, " MS("submitted_at")
     ", state, attempt, filename, entry_point FROM submissions WHERE id = $1"},
    {"awards_emitted", "SELECT audience, award_id, data FROM awards_emitted WHERE contest_id = $1"},
    {"upsert_award_emitted",
     "INSERT INTO awards_emitted (contest_id, audience, award_id, data) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (contest_id, audience, award_id) DO UPDATE SET data = excluded.data"},
};
// clang-format on

Event event_from(const pqxx::row& r) {
  return {r[0].as<int64_t>(), r[1].c_str(),
          opt_text(r[2]),     r[3].is_null() ? "null" : r[3].c_str(),
          opt_text(r[4]),     r[5].as<bool>()};
}

bool emit_state_if_changed(pqxx::work& w, const Contest& contest, int64_t now_ms) {
  lock_contest_events(w, contest.id);
  return w.exec_prepared("insert_state_if_changed", contest.id,
                         state_json(contest_state(contest, now_ms)).dump())
             .affected_rows() == 1;
}

// The contest-independent objects every feed starts with, by ContestReads' statements.
void emit_catalog_once(pqxx::work& w, const std::string& contest_id) {
  if (!w.exec_prepared("catalog_emitted", contest_id).empty()) return;
  for (const auto& type : judgement_types())
    emit(w, contest_id, "judgement-types", type.id, judgement_type_json(type));
  for (const auto& l : read_rows(w.exec_prepared("languages"), language_from))
    if (l.enabled) emit(w, contest_id, "languages", l.id, language_json(l));
  // Organizations and groups are global: a new contest's feed starts with the existing ones.
  for (const auto& o : read_rows(w.exec_prepared("organizations", nullptr), organization_from))
    emit(w, contest_id, "organizations", o.id, organization_json(o));
  for (const auto& g : read_rows(w.exec_prepared("groups", nullptr), group_from))
    emit(w, contest_id, "groups", g.id, group_json(g));
  // Accounts are global too (GET .../accounts lists them all).
  for (const auto& u : read_rows(w.exec_prepared("users"), user_from))
    emit(w, contest_id, "accounts", u.username, account_json(u));
}

// What the feed said last of each award, per audience; "null" for one that went away.
using Said = std::map<std::string, std::string>;

std::vector<Award> awards_of_view(pqxx::work& w, const Contest& contest, ScoreboardView view,
                                  int64_t now_ms) {
  auto submissions =
      read_rows(w.exec_prepared("scoreboard_submissions", contest.id), scoreboard_submission_from);
  auto problems = read_rows(w.exec_prepared("problems", contest.id, nullptr), problem_from);
  auto teams = read_rows(w.exec_prepared("teams", contest.id, nullptr), team_from);
  auto groups = read_rows(w.exec_prepared("groups", nullptr), group_from);
  auto board = compute_scoreboard(contest, problems, teams, submissions, view, now_ms);
  return compute_awards(contest, board, problems, teams, groups, submissions, view, now_ms);
}

// The awards as JSON text by id; ids said before and gone now as "null" (a deletion).
Said awards_text(const std::vector<Award>& awards, const Said& said) {
  Said now;
  for (const auto& [id, text] : said)
    if (text != "null") now[id] = "null";
  for (const auto& award : awards) now[award.id] = award_json(award).dump();
  return now;
}

// Writes an awards event for each award whose text differs from what `audience` was told.
int emit_award_changes(pqxx::work& w, const std::string& contest_id, const Said& now,
                       const char* audience, Said& said,
                       const std::optional<std::string>& team_id) {
  int written = 0;
  for (const auto& [id, text] : now) {
    auto old = said.find(id);
    if (old != said.end() ? old->second == text : text == "null") continue;
    emit(w, contest_id, "awards", id, json::parse(text), team_id, ForTeam::Shows, Board::Unchanged);
    w.exec_prepared("upsert_award_emitted", contest_id, audience, id, text);
    said[id] = text;
    ++written;
  }
  return written;
}

}  // namespace

const Statements kEventStatements = kStatements;

void lock_contest_events(pqxx::work& w, const std::string& contest_id) {
  w.exec_prepared("lock_contest_events", contest_id);
}

void emit(pqxx::work& w, const std::string& contest_id, const char* type,
          const std::optional<std::string>& object_id, const nlohmann::json& data,
          const std::optional<std::string>& team_id, ForTeam for_team, Board board) {
  lock_contest_events(w, contest_id);
  w.exec_prepared("insert_event", contest_id, type, nullable(object_id), data.dump(),
                  nullable(team_id), for_team == ForTeam::Deletes, board == Board::Moves);
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
  if (auto p = read_first(w.exec_prepared("problems", contest_id, problem_id), problem_from))
    emit(w, contest_id, "problems", problem_id, problem_json(*p));
}

void emit_team(pqxx::work& w, const std::string& contest_id, const std::string& team_id) {
  if (auto t = read_first(w.exec_prepared("teams", contest_id, team_id), team_from))
    emit(w, contest_id, "teams", team_id, team_json(*t));
}

void emit_submission(pqxx::work& w, int64_t submission_id) {
  auto s = read_first(w.exec_prepared("submission_for_event", submission_id), submission_from);
  if (!s) return;
  if (auto contest = read_contest(w, s->contest_id))
    emit(w, s->contest_id, "submissions", std::to_string(s->id), submission_json(*s, *contest),
         s->team_id, ForTeam::Shows, Board::Unchanged);
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

void emit_contest_times(pqxx::work& w, const std::string& contest_id) {
  auto contest = read_contest(w, contest_id);
  if (!contest) return;
  std::map<int64_t, std::string> team_of;  // Submission id -> team: whose events they are.
  for (const auto& s :
       read_rows(w.exec_prepared("submissions", contest_id, nullptr), submission_from)) {
    team_of[s.id] = s.team_id;
    emit(w, contest_id, "submissions", std::to_string(s.id), submission_json(s, *contest),
         s.team_id);
  }
  for (const auto& j :
       read_rows(w.exec_prepared("judgements", contest_id, nullptr, nullptr), judgement_from))
    emit(w, contest_id, "judgements", std::to_string(j.id), judgement_json(j, *contest),
         team_of[j.submission_id], j.is_current ? ForTeam::Shows : ForTeam::Deletes);
  for (const auto& r :
       read_rows(w.exec_prepared("contest_runs", contest_id, nullptr, nullptr), run_info_from))
    emit(w, contest_id, "runs", std::to_string(r.id), run_json(r, *contest), r.team_id,
         r.judgement_current ? ForTeam::Shows : ForTeam::Deletes);
}

void emit_replaced_judgement(pqxx::work& w, int64_t judgement_id, const std::string& team_id) {
  auto judgement = read_first(w.exec_prepared("judgement", judgement_id), judgement_from);
  if (!judgement) return;
  auto contest = read_contest(w, judgement->contest_id);
  if (!contest) return;
  const std::string& cid = judgement->contest_id;
  emit(w, cid, "judgements", std::to_string(judgement_id), judgement_json(*judgement, *contest),
       team_id, ForTeam::Deletes);
  // Its runs leave the team's view with it (GET runs shows a team the current judgement's).
  for (const auto& r :
       read_rows(w.exec_prepared("contest_runs", cid, judgement_id, team_id), run_info_from))
    emit(w, cid, "runs", std::to_string(r.id), run_json(r, *contest), team_id, ForTeam::Deletes);
}

std::vector<Event> EventLog::events(const std::string& contest_id, int64_t after_id, int limit) {
  auto events = in_read(db_, "events", [&](pqxx::transaction_base& w) {
    return read_rows(w.exec_prepared("events_after", contest_id, after_id, limit), event_from);
  });
  // Event writers commit before their commit is on disk (in_event_transaction): a feed must not
  // hand out an event a crash could still take back, nor its token.
  if (!events.empty() && !in_read(db_, "events", [](pqxx::transaction_base& r) {
        return r.exec_prepared1("wal_flushed")[0].as<bool>();
      }))
    make_durable(db_, "events");
  return events;
}

bool EventLog::event_visible(const std::string& contest_id, int64_t event_id,
                             const EventReader& reader) {
  return in_transaction(db_, "event_visible", [&](pqxx::work& w) {
    return !w.exec_prepared("event_visible", contest_id, event_id, reader.everything,
                            nullable(reader.team_id), reader.problems_shown, reader.accounts)
                .empty();
  });
}

std::optional<int64_t> EventLog::last_visible_event_id(const std::string& contest_id,
                                                       const EventReader& reader) {
  return in_transaction(db_, "last_visible_event_id", [&](pqxx::work& w) {
    auto row = w.exec_prepared1("last_visible_event_id", contest_id, reader.everything,
                                nullable(reader.team_id), reader.problems_shown, reader.accounts);
    return opt_int(row[0]);
  });
}

int64_t EventLog::last_event_id(const std::string& contest_id) {
  return in_transaction(db_, "last_event_id", [&](pqxx::work& w) {
    return w.exec_prepared1("last_event_id", contest_id)[0].as<int64_t>();
  });
}

int EventLog::record_awards(const std::string& contest_id, int64_t now_ms) {
  return in_transaction(db_, "record_awards", [&](pqxx::work& w) {
    lock_contest_events(w, contest_id);  // Also makes compare-and-write atomic across processes.
    auto contest = read_contest(w, contest_id);
    if (!contest) return 0;
    Said told[2];  // [0] public, [1] jury.
    for (const auto& row : w.exec_prepared("awards_emitted", contest_id))
      told[std::string_view(row[0].c_str()) == "jury"][row[1].c_str()] = row[2].c_str();
    const auto pub =
        awards_text(awards_of_view(w, *contest, ScoreboardView::Public, now_ms), told[0]);
    int written = 0;
    for (const auto& [id, text] : pub) {
      auto old = told[0].find(id);
      if (old != told[0].end() ? old->second == text : text == "null") continue;
      // The jury's feed carries the public events too: it was told this as well.
      w.exec_prepared("upsert_award_emitted", contest_id, "jury", id, text);
      told[1][id] = text;
    }
    written += emit_award_changes(w, contest_id, pub, "public", told[0], std::nullopt);
    const auto jury =
        awards_text(awards_of_view(w, *contest, ScoreboardView::Jury, now_ms), told[1]);
    written += emit_award_changes(w, contest_id, jury, "jury", told[1], std::string(kJuryTeamId));
    return written;
  });
}

bool EventLog::record_state(const std::string& contest_id, int64_t now_ms) {
  return in_transaction(db_, "record_state", [&](pqxx::work& w) {
    auto contest = read_contest(w, contest_id);
    if (!contest) return false;
    // The lock also makes the compare-and-insert atomic across API processes.
    return emit_state_if_changed(w, *contest, now_ms);
  });
}

}  // namespace core
