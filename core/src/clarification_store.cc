// ClarificationStore: clarifications with their events, and their reads (clarification_store.h).
#include "core/clarification_store.h"

#include <algorithm>

#include "core/clics.h"
#include "event_emit.h"
#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
// Whether the row may be seen by viewer (jury flag, team id) = parameters (everything, team).
#define CLAR_VISIBLE(everything, team)                                                   \
  "(" everything "::boolean OR (from_team_id IS NULL AND to_team_id IS NULL) OR "        \
  "from_team_id = " team "::text OR to_team_id = " team "::text)"

#define CLAR_COLUMNS \
  "contest_id, id, from_team_id, to_team_id, reply_to_id, problem_id, text, " MS("time") \
  ", created_by"

constexpr Statement kStatements[] = {
    // $2 NULL: the next server id. A taken id inserts nothing (and returns no row).
    {"insert_clarification",
     "INSERT INTO clarifications (contest_id, id, seq, from_team_id, to_team_id, reply_to_id, "
     "problem_id, text, time, created_by) SELECT $1, coalesce($2::text, n.v::text), n.v, $3, $4, "
     "$5, $6, $7, to_timestamp($8::double precision / 1000), $9 FROM (SELECT "
     "nextval('clarification_ids') AS v) n ON CONFLICT (contest_id, id) DO NOTHING RETURNING id"},
    // A decimal id chosen by an admin: the server's ids continue above it.
    {"advance_clarification_ids",
     "SELECT setval('clarification_ids', greatest((SELECT last_value FROM clarification_ids), "
     "$1::bigint))"},
    // One row; a reference the request does not name ($2..$5 NULL) counts as found.
    {"clarification_refs",
     "SELECT ($2::text IS NULL OR EXISTS (SELECT 1 FROM problems WHERE contest_id = $1 AND "
     "id = $2)), ($3::text IS NULL OR EXISTS (SELECT 1 FROM contest_teams WHERE contest_id = $1 "
     "AND team_id = $3)), ($4::text IS NULL OR EXISTS (SELECT 1 FROM contest_teams WHERE "
     "contest_id = $1 AND team_id = $4)), ($5::text IS NULL OR EXISTS (SELECT 1 FROM "
     "clarifications WHERE contest_id = $1 AND id = $5 AND " CLAR_VISIBLE("$7", "$8") ")), "
     "($6::text IS NOT NULL AND EXISTS (SELECT 1 FROM clarifications WHERE contest_id = $1 AND "
     "id = $6))"},
    {"clarifications",
     "SELECT " CLAR_COLUMNS " FROM clarifications WHERE contest_id = $1 AND "
     CLAR_VISIBLE("$2", "$3") " ORDER BY seq"},
    {"clarification",
     "SELECT " CLAR_COLUMNS " FROM clarifications WHERE contest_id = $1 AND id = $4 AND "
     CLAR_VISIBLE("$2", "$3")},
    // Also SetupStore's finalize guard, in its own words.
    {"unanswered_questions",
     "SELECT count(*) FROM clarifications q WHERE q.contest_id = $1 AND q.from_team_id IS NOT NULL "
     "AND NOT EXISTS (SELECT 1 FROM clarifications a WHERE a.contest_id = q.contest_id AND "
     "a.reply_to_id = q.id AND a.from_team_id IS NULL)"},
};
// clang-format on

// Longest decimal id that surely fits a bigint (the sequence's type).
constexpr size_t kMaxSequenceDigits = 18;

Clarification clarification_from(const pqxx::row& r) {
  Clarification c;
  c.contest_id = r[0].c_str();
  c.id = r[1].c_str();
  c.from_team_id = opt_text(r[2]);
  c.to_team_id = opt_text(r[3]);
  c.reply_to_id = opt_text(r[4]);
  c.problem_id = opt_text(r[5]);
  c.text = r[6].c_str();
  c.time_ms = r[7].as<int64_t>();
  c.created_by = r[8].c_str();
  return c;
}

bool is_sequence_number(const std::string& id) {
  return !id.empty() && id.size() <= kMaxSequenceDigits &&
         std::all_of(id.begin(), id.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

}  // namespace

const Statements kClarificationStatements = kStatements;

// The contest's event lock comes first: creations of one contest are serialized, so a decimal
// id chosen by an admin moves the sequence before any later server id is drawn.
ClarificationInsert ClarificationStore::create(Clarification& c) {
  return in_event_transaction(db_, "create_clarification", [&](pqxx::work& w) {
    lock_contest_events(w, c.contest_id);
    const bool chosen = !c.id.empty();
    if (chosen && is_sequence_number(c.id)) w.exec_prepared("advance_clarification_ids", c.id);
    std::optional<std::string> requested;
    if (chosen) requested = c.id;
    // A server id can only be taken by a decimal id PUT before the sequence moved past it;
    // the next one cannot be.
    constexpr int kAttempts = 2;
    pqxx::result row;
    for (int attempt = 0; attempt < kAttempts && row.empty(); ++attempt) {
      row =
          w.exec_prepared("insert_clarification", c.contest_id, nullable(requested),
                          nullable(c.from_team_id), nullable(c.to_team_id), nullable(c.reply_to_id),
                          nullable(c.problem_id), c.text, c.time_ms, c.created_by);
      if (chosen) break;
    }
    if (row.empty()) {
      if (chosen) return ClarificationInsert::IdTaken;
      throw StoreError("create_clarification: no free id");
    }
    c.id = row[0][0].c_str();
    if (auto contest = read_contest(w, c.contest_id))
      emit(w, c.contest_id, "clarifications", c.id, clarification_json(c, *contest),
           c.audience_team(), ForTeam::Shows, Board::Unchanged);
    return ClarificationInsert::Created;
  });
}

ClarificationRefs ClarificationStore::refs(const std::string& contest_id, const Clarification& c,
                                           const ClarificationViewer& viewer) {
  std::optional<std::string> id;
  if (!c.id.empty()) id = c.id;
  return in_read(db_, "clarification_refs", [&](pqxx::transaction_base& w) {
    auto r =
        w.exec_prepared1("clarification_refs", contest_id, nullable(c.problem_id),
                         nullable(c.from_team_id), nullable(c.to_team_id), nullable(c.reply_to_id),
                         nullable(id), viewer.everything, nullable(viewer.team_id));
    return ClarificationRefs{r[0].as<bool>(), r[1].as<bool>(), r[2].as<bool>(), r[3].as<bool>(),
                             r[4].as<bool>()};
  });
}

std::vector<Clarification> ClarificationStore::clarifications(const std::string& contest_id,
                                                              const ClarificationViewer& viewer) {
  return in_read(db_, "clarifications", [&](pqxx::transaction_base& w) {
    return read_rows(
        w.exec_prepared("clarifications", contest_id, viewer.everything, nullable(viewer.team_id)),
        clarification_from);
  });
}

std::optional<Clarification> ClarificationStore::clarification(const std::string& contest_id,
                                                               const std::string& id,
                                                               const ClarificationViewer& viewer) {
  return in_read(db_, "clarification", [&](pqxx::transaction_base& w) {
    return read_first(w.exec_prepared("clarification", contest_id, viewer.everything,
                                      nullable(viewer.team_id), id),
                      clarification_from);
  });
}

int64_t ClarificationStore::unanswered_questions(const std::string& contest_id) {
  return in_read(db_, "unanswered_questions", [&](pqxx::transaction_base& w) {
    return w.exec_prepared1("unanswered_questions", contest_id)[0].as<int64_t>();
  });
}

}  // namespace core
