#include "core/store.h"

#include <algorithm>

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "core/clics.h"
#include "core/entry_point.h"
#include "core/timefmt.h"
#include "store_impl.h"

namespace core {
namespace {

// A submission with a current judgement is a rejudge: it is pushed to the rejudge list.
#define HAS_CURRENT_JUDGEMENT \
  "EXISTS (SELECT 1 FROM judgements j WHERE j.submission_id = submissions.id AND j.is_current)"

// The first event of contest $1 that a caller who may not see problems yet waits at (its first
// problems event; api::event_visibility), or the largest id when problems are `shown`.
#define EVENTS_WAIT_FROM(shown)                                                              \
  "coalesce(CASE WHEN " shown " THEN NULL ELSE (SELECT p.id FROM events p WHERE p.contest_id " \
  "= $1 AND p.team_id IS NULL AND p.type = 'problems' ORDER BY p.id LIMIT 1) END, "           \
  "9223372036854775807)"

// Every statement of the system, prepared on each (re)connect. Setup statements are here too.
const std::pair<const char*, const char*> kStatements[] = {
    {"contests",
     "SELECT id, name, coalesce(formal_name, name), " MS("start_time") ", duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type, " MS("thawed_at") ", " MS("finalized_at") " FROM contests "
     "WHERE ($1::text IS NULL OR id = $1) ORDER BY id"},
    {"update_contest_settings",
     "UPDATE contests SET name = $2, formal_name = $3, duration_ms = $4, freeze_ms = $5, "
     "penalty_minutes = $6, scoreboard_type = $7 WHERE id = $1"},
    {"set_contest_thaw",
     "UPDATE contests SET thawed_at = to_timestamp($2::double precision / 1000) WHERE id = $1"},
    // Guarded: only a contest that has not started at $3 and has no thaw set.
    {"set_contest_start",
     "UPDATE contests SET start_time = to_timestamp($2::double precision / 1000) WHERE id = $1 "
     "AND (start_time IS NULL OR start_time > to_timestamp($3::double precision / 1000)) "
     "AND thawed_at IS NULL"},
    {"unjudged_submissions",
     "SELECT count(*) FROM submissions WHERE contest_id = $1 AND state <> 'judged'"},
    // Guarded: ended at $2, not finalized, nothing left to judge.
    {"set_contest_finalized",
     "UPDATE contests c SET finalized_at = to_timestamp($2::double precision / 1000) "
     "WHERE id = $1 AND finalized_at IS NULL AND start_time IS NOT NULL AND start_time + "
     "duration_ms * interval '1 millisecond' <= to_timestamp($2::double precision / 1000) "
     "AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.contest_id = c.id AND "
     "s.state <> 'judged')"},
    {"contest_exists", "SELECT 1 FROM contests WHERE id = $1"},
    // No ORDER BY: compute_scoreboard() sorts anyway, and sorting 100,000 rows spilled to disk.
    {"scoreboard_submissions",
     "SELECT s.team_id, s.problem_id, " MS("s.submitted_at") ", j.verdict, s.id, j.score FROM "
     "submissions s LEFT JOIN judgements j ON j.submission_id = s.id AND j.is_current "
     "WHERE s.contest_id = $1 AND NOT s.is_jury"},
    {"contest_changes", "SELECT changes FROM contest_changes WHERE contest_id = $1"},
    {"contest_with_changes",
     "SELECT id, name, coalesce(formal_name, name), " MS("start_time") ", duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type, " MS("thawed_at") ", " MS("finalized_at") ", coalesce(("
     "SELECT changes FROM contest_changes x WHERE x.contest_id = c.id), 0) FROM contests c "
     "WHERE id = $1"},
    {"problems",
     "SELECT p.contest_id, p.id, label, name, ordinal, rgb, time_limit_ms, memory_limit_kib, "
     "output_limit_kib, validation, validator_flags, (SELECT count(*) FROM testcases t WHERE "
     "t.contest_id = p.contest_id AND t.problem_id = p.id) FROM problems p WHERE contest_id = $1 "
     "AND ($2::text IS NULL OR id = $2) ORDER BY ordinal, id"},
    {"testcases",
     "SELECT id, ordinal, is_sample, input_sha, answer_sha, coalesce(group_ordinal, 0) "
     "FROM testcases WHERE contest_id = $1 AND problem_id = $2 ORDER BY ordinal"},
    {"blob", "SELECT data FROM blobs WHERE sha256 = $1"},
    {"validator_files",
     "SELECT v.name, b.data FROM problem_validator_files v JOIN blobs b ON b.sha256 = v.sha256 "
     "WHERE v.contest_id = $1 AND v.problem_id = $2 ORDER BY v.name"},
    {"delete_validator_files",
     "DELETE FROM problem_validator_files WHERE contest_id = $1 AND problem_id = $2"},
    {"insert_validator_file",
     "INSERT INTO problem_validator_files (contest_id, problem_id, name, sha256) "
     "VALUES ($1, $2, $3, $4)"},
    {"languages",
     "SELECT id, name, array_to_json(extensions)::text, source_file, array_to_json(compile_argv)::text, "
     "array_to_json(run_argv)::text, enabled, coalesce(entry_kind, ''), "
     "array_to_json(version_argv)::text, selftest_source FROM languages ORDER BY id"},
    // One row: problem and team known in the contest, then the language's columns as in
    // "languages" (NULL when unknown).
    {"submission_refs",
     "SELECT EXISTS (SELECT 1 FROM problems WHERE contest_id = $1 AND id = $2), EXISTS (SELECT 1 "
     "FROM contest_teams WHERE contest_id = $1 AND team_id = $3), l.id, l.name, "
     "array_to_json(l.extensions)::text, l.source_file, array_to_json(l.compile_argv)::text, "
     "array_to_json(l.run_argv)::text, l.enabled, coalesce(l.entry_kind, ''), "
     "array_to_json(l.version_argv)::text, l.selftest_source FROM (SELECT 1) one "
     "LEFT JOIN languages l ON l.id = $4"},
    {"teams",
     "SELECT t.id, t.name, coalesce(t.display_name, t.name), t.organization_id, (SELECT "
     "array_to_json(array_agg(g.group_id ORDER BY g.group_id))::text FROM team_groups g WHERE "
     "g.team_id = t.id) FROM teams t JOIN contest_teams ct ON ct.team_id = t.id "
     "WHERE ct.contest_id = $1 AND ($2::text IS NULL OR t.id = $2) ORDER BY t.id"},
    {"user_by_name", "SELECT id, username, password_hash, role, team_id FROM users WHERE username = $1"},
    {"team_exists", "SELECT 1 FROM teams WHERE id = $1"},
    {"users", "SELECT id, username, password_hash, role, team_id FROM users ORDER BY username"},
    {"organizations",
     "SELECT id, name, formal_name, country FROM organizations WHERE ($1::text IS NULL OR id = $1) "
     "ORDER BY id"},
    {"groups", "SELECT id, name FROM groups WHERE ($1::text IS NULL OR id = $1) ORDER BY id"},
    {"insert_submission",
     "INSERT INTO submissions (contest_id, team_id, problem_id, language_id, source, filename, "
     "entry_point) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, " MS("submitted_at")},
    {"insert_submission_file",
     "INSERT INTO submission_files (submission_id, path, content) VALUES ($1, $2, $3)"},
    {"submission_files",
     "SELECT path, content FROM submission_files WHERE submission_id = $1 ORDER BY path"},
    {"insert_event",
     "INSERT INTO events (contest_id, type, object_id, data, team_id) "
     "VALUES ($1, $2, $3, $4::jsonb, $5)"},
    // The submissions events of one batch in one statement (one run of the events trigger), in
    // the order given: $2, $3, $4 are text arrays of object ids, data and team ids.
    {"insert_submission_events",
     "INSERT INTO events (contest_id, type, object_id, data, team_id) SELECT $1, 'submissions', "
     "x.object_id, x.data::jsonb, x.team_id FROM unnest($2::text[], $3::text[], $4::text[]) "
     "WITH ORDINALITY AS x(object_id, data, team_id, n) ORDER BY x.n"},
    {"insert_event_everywhere",
     "INSERT INTO events (contest_id, type, object_id, data) "
     "SELECT id, $1, $2, $3::jsonb FROM contests ORDER BY id"},
    // Event ids of one contest must commit in id order, or a feed reader that has passed id N
    // could miss a slower transaction's N-1. Writers serialize per contest until they commit.
    {"lock_contest_events", "SELECT pg_advisory_xact_lock(17758, hashtext($1))"},
    {"durability_mark",
     "INSERT INTO durability_marks (pid, marks) VALUES (pg_backend_pid(), 1) ON CONFLICT (pid) "
     "DO UPDATE SET marks = durability_marks.marks + 1"},
    // Whether every commit visible now is on disk (no: Store::events waits for it).
    {"wal_flushed", "SELECT pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn()"},
    // In contest id order (the sorted subquery: a plain ORDER BY sorts after locking).
    {"lock_all_events",
     "SELECT pg_advisory_xact_lock(17758, hashtext(c.id)) FROM (SELECT id FROM contests ORDER BY id) c"},
    {"events_after",
     "SELECT id, type, object_id, data::text, team_id FROM events WHERE contest_id = $1 AND id > $2 "
     "ORDER BY id LIMIT $3"},
    {"last_event_id", "SELECT coalesce(max(id), 0) FROM events WHERE contest_id = $1"},
    // What a caller may see (core::EventReader; the rules of api::event_visibility): $3 jury
    // (everything), else contest-wide events but accounts, and team $4's own; before the start
    // ($5 false) nothing from the first problems event on, where a feed waits.
    {"event_visible",
     "SELECT 1 FROM events WHERE contest_id = $1 AND id = $2 AND ($3::boolean OR "
     "(team_id IS NULL AND type <> 'accounts') OR team_id = $4::text) AND ($3::boolean OR "
     "id < " EVENTS_WAIT_FROM("$5::boolean") ")"},
    // The newest of those, same parameters without the id ($2 jury, $3 team, $4 shown): the
    // contest-wide and the team's newest each by an index (migration 0013), never a scan
    // through other teams' events.
    {"last_visible_event_id",
     "SELECT greatest((SELECT id FROM events WHERE $2::boolean AND contest_id = $1 ORDER BY id "
     "DESC LIMIT 1), (SELECT id FROM events WHERE contest_id = $1 AND team_id IS NULL AND "
     "type <> 'accounts' AND id < " EVENTS_WAIT_FROM("$4::boolean") " ORDER BY id DESC LIMIT 1), "
     "(SELECT id FROM events WHERE contest_id = $1 AND team_id = $3::text AND id < "
     EVENTS_WAIT_FROM("$4::boolean") " ORDER BY id DESC LIMIT 1))"},
    {"insert_state_if_changed",
     "INSERT INTO events (contest_id, type, object_id, data) SELECT $1, 'state', NULL, $2::jsonb "
     "WHERE NOT EXISTS (SELECT 1 FROM (SELECT data FROM events WHERE contest_id = $1 AND "
     "type = 'state' ORDER BY id DESC LIMIT 1) last WHERE last.data = $2::jsonb)"},
    {"catalog_emitted", "SELECT 1 FROM events WHERE contest_id = $1 AND type = 'languages' LIMIT 1"},
    {"submissions",
     "SELECT id, contest_id, team_id, problem_id, language_id, ''::bytea, " MS("submitted_at")
     ", state, attempt, filename, entry_point FROM submissions WHERE contest_id = $1 AND "
     "($2::text IS NULL OR team_id = $2) ORDER BY id"},
    {"submission",
     "SELECT id, contest_id, team_id, problem_id, language_id, source, " MS("submitted_at")
     ", state, attempt, filename, entry_point FROM submissions WHERE id = $1"},
    {"judgements",
     "SELECT j.id, j.submission_id, s.contest_id, j.attempt, j.verdict, j.is_current, j.is_manual, "
     "j.judged_by, " MS("j.start_time") ", " MS("j.end_time") ", j.max_run_time_ms, "
     "j.compile_output, j.score FROM judgements j JOIN submissions s ON s.id = j.submission_id "
     "WHERE s.contest_id = $1 AND ($2::bigint IS NULL OR j.submission_id = $2) AND ($3::text IS NULL OR s.team_id = $3) "
     "ORDER BY j.id"},
    {"judgement",
     "SELECT j.id, j.submission_id, s.contest_id, j.attempt, j.verdict, j.is_current, j.is_manual, "
     "j.judged_by, " MS("j.start_time") ", " MS("j.end_time") ", j.max_run_time_ms, "
     "j.compile_output, j.score FROM judgements j JOIN submissions s ON s.id = j.submission_id WHERE j.id = $1"},
    {"runs",
     "SELECT ordinal, testcase_id, verdict, cpu_ms, wall_ms, memory_kib, id, judge_message "
     "FROM runs WHERE judgement_id = $1 ORDER BY ordinal"},
    {"claim",
     "UPDATE submissions SET state = 'judging', attempt = attempt + 1, lease_owner = $2, "
     "lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND contest_id = $4 AND "
     "state = 'queued' AND ($5::text IS NULL OR language_id = ANY(string_to_array($5, ','))) "
     "RETURNING id, attempt, failures, extract(epoch from now() - queued_at)::float8"},
    // Fair claim: among the contest's claimable queued submissions (never judged: a rejudge is
    // claimed by its own item from the rejudge list), each team's oldest first
    // (turn: the team's n-th queued one), and among the teams' first ones the least recently
    // served team first: the team whose newest judgement is oldest (team_served, kept by a
    // trigger; none yet: first); a submission being judged counts as now. Ordering the first
    // ones by submission time instead would let a team that flooded first hold every turn: its
    // next submission is always older than anyone else's.
    // The current-judgement test is a scalar subquery on purpose: as NOT EXISTS the planner
    // hashed every judgement of the database once the queue was long (54 ms per claim at 1,500
    // queued and 50,000 judged); this way it is one index probe per queued row. Only turns up
    // to $5 are joined and sorted (Store::claim_next asks for all when those are locked).
    // SKIP LOCKED lets concurrent claimers take different rows.
    {"claim_next",
     "WITH ranked AS (SELECT id, team_id, submitted_at, row_number() OVER (PARTITION BY team_id "
     "ORDER BY submitted_at, id) AS turn FROM submissions q WHERE contest_id = $1 AND "
     "state = 'queued' AND (retry_at IS NULL OR retry_at <= now()) AND ($4::text IS NULL OR "
     "language_id = ANY(string_to_array($4, ','))) AND NOT (SELECT count(*) > 0 "
     "FROM judgements j WHERE j.submission_id = q.id AND j.is_current)), "
     "busy AS (SELECT DISTINCT team_id FROM submissions WHERE contest_id = $1 AND "
     "state = 'judging'), "
     "pick AS (SELECT s.id FROM submissions s JOIN ranked r ON r.id = s.id AND r.turn <= $5 "
     "LEFT JOIN busy b ON "
     "b.team_id = r.team_id LEFT JOIN team_served v ON v.contest_id = $1 AND "
     "v.team_id = r.team_id WHERE s.state = 'queued' ORDER BY r.turn, CASE WHEN b.team_id IS "
     "NOT NULL THEN 9223372036854775807 ELSE v.last_judgement_id END NULLS FIRST, "
     "r.submitted_at, r.id LIMIT 1 FOR UPDATE OF s SKIP LOCKED) "
     "UPDATE submissions SET state = 'judging', attempt = attempt + 1, lease_owner = $2, "
     "lease_until = now() + make_interval(secs => $3) FROM pick WHERE submissions.id = pick.id "
     "RETURNING submissions.id, submissions.attempt, submissions.failures, "
     "extract(epoch from now() - submissions.queued_at)::float8"},
    // Language ids are CLICS ids (no commas): the list travels as one comma-joined text.
    {"queued_outside_languages",
     "SELECT EXISTS (SELECT 1 FROM submissions WHERE contest_id = $1 AND state = 'queued' AND "
     "($2::bigint IS NULL OR id = $2) AND NOT (language_id = ANY(string_to_array($3, ','))))"},
    {"retry_later",
     "UPDATE submissions SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
     "failures = failures + 1, retry_at = now() + make_interval(secs => $3), queued_at = now() "
     "WHERE id = $1 AND state = 'judging' AND attempt = $2"},
    {"requeue_expired",
     "UPDATE submissions SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
     "failures = failures + 1, queued_at = now() WHERE state = 'judging' AND lease_until < now() "
     "RETURNING id, contest_id, " HAS_CURRENT_JUDGEMENT},
    {"requeue_unclaimed",
     "UPDATE submissions SET queued_at = now() WHERE state = 'queued' AND "
     "(retry_at IS NULL OR retry_at <= now()) AND (queued_at <= now() - make_interval(secs => $1) "
     "OR queued_at <= retry_at) RETURNING id, contest_id, " HAS_CURRENT_JUDGEMENT},
    {"rejudge",
     "UPDATE submissions SET state = 'queued', failures = 0, retry_at = NULL, queued_at = now() "
     "WHERE contest_id = $1 AND state = 'judged' AND (id = ANY($2::bigint[]) OR problem_id = $3) "
     "RETURNING id, contest_id, true"},
    {"try_lock", "SELECT pg_try_advisory_lock($1)"},
    // Whether this session still holds the advisory lock $1 (a bigint key is classid:objid).
    {"holds_lock",
     "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
     "pid = pg_backend_pid() AND classid = ($1::bigint >> 32)::oid AND "
     "objid = ($1::bigint & 4294967295)::oid AND objsubid = 1)"},
    {"heartbeat",
     "UPDATE submissions SET lease_until = now() + make_interval(secs => $3) "
     "WHERE id = $1 AND state = 'judging' AND attempt = $2"},
    {"release",
     "UPDATE submissions SET state = 'queued', lease_owner = NULL, lease_until = NULL, "
     "queued_at = now() WHERE id = $1 AND state = 'judging' AND attempt = $2"},
    {"finish_fenced",
     "UPDATE submissions SET state = 'judged', lease_owner = NULL, lease_until = NULL "
     "WHERE id = $1 AND state = 'judging' AND attempt = $2 RETURNING contest_id, attempt, team_id"},
    {"finish_manual",
     "UPDATE submissions SET state = 'judged', attempt = attempt + 1, lease_owner = NULL, "
     "lease_until = NULL WHERE id = $1 RETURNING contest_id, attempt, team_id"},
    {"uncurrent_judgements",
     "UPDATE judgements SET is_current = false WHERE submission_id = $1 AND is_current "
     "RETURNING id"},
    {"insert_judgement",
     "INSERT INTO judgements (submission_id, attempt, verdict, is_manual, judged_by, start_time, "
     "max_run_time_ms, compile_output, score) VALUES ($1, $2, $3, $4, $5, "
     "to_timestamp($6::double precision / 1000), $7, $8, $9) RETURNING id, " MS("end_time")},
    {"contest_runs",
     "SELECT r.id, r.judgement_id, s.contest_id, s.team_id, j.is_current, " MS("j.end_time")
     ", r.ordinal, r.testcase_id, r.verdict, r.cpu_ms, r.wall_ms, r.memory_kib, r.judge_message "
     "FROM runs r "
     "JOIN judgements j ON j.id = r.judgement_id JOIN submissions s ON s.id = j.submission_id "
     "WHERE s.contest_id = $1 AND ($2::bigint IS NULL OR r.judgement_id = $2) AND "
     "($3::text IS NULL OR s.team_id = $3) ORDER BY r.judgement_id, r.ordinal"},
    {"run",
     "SELECT r.id, r.judgement_id, s.contest_id, s.team_id, j.is_current, " MS("j.end_time")
     ", r.ordinal, r.testcase_id, r.verdict, r.cpu_ms, r.wall_ms, r.memory_kib, r.judge_message "
     "FROM runs r "
     "JOIN judgements j ON j.id = r.judgement_id JOIN submissions s ON s.id = j.submission_id "
     "WHERE r.id = $1"},
    {"insert_run",
     "INSERT INTO runs (judgement_id, ordinal, testcase_id, verdict, cpu_ms, wall_ms, memory_kib, "
     "judge_message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"},
    {"upsert_team",
     "INSERT INTO teams (id, name, display_name) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE "
     "SET name = excluded.name, display_name = excluded.display_name"},
    {"insert_team",
     "INSERT INTO teams (id, name, display_name, organization_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (id) DO NOTHING"},
    {"insert_team_group", "INSERT INTO team_groups (team_id, group_id) VALUES ($1, $2)"},
    {"insert_organization",
     "INSERT INTO organizations (id, name, formal_name, country) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (id) DO NOTHING"},
    {"insert_group", "INSERT INTO groups (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING"},
    {"insert_user",
     "INSERT INTO users (username, password_hash, role, team_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (username) DO NOTHING"},
    {"insert_contest",
     "INSERT INTO contests (id, name, formal_name, start_time, duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type) VALUES ($1, $2, $3, to_timestamp($4::double precision / "
     "1000), $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING"},
    {"insert_problem",
     "INSERT INTO problems (contest_id, id, label, name, ordinal, rgb, time_limit_ms, "
     "memory_limit_kib, output_limit_kib, validation, validator_flags) VALUES ($1, $2, $3, $4, $5, "
     "$6, $7, $8, $9, $10, $11) ON CONFLICT (contest_id, id) DO NOTHING"},
    {"add_team_to_contest",
     "INSERT INTO contest_teams (contest_id, team_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"},
    {"upsert_user",
     "INSERT INTO users (username, password_hash, role, team_id) VALUES ($1, $2, $3, $4) "
     "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, "
     "role = excluded.role, team_id = excluded.team_id"},
    {"upsert_contest",
     "INSERT INTO contests (id, name, formal_name, start_time, duration_ms, freeze_ms, "
     "penalty_minutes, scoreboard_type) VALUES ($1, $2, $3, to_timestamp($4::double precision / "
     "1000), $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET name = excluded.name, formal_name = "
     "excluded.formal_name, start_time = excluded.start_time, duration_ms = excluded.duration_ms, "
     "freeze_ms = excluded.freeze_ms, penalty_minutes = excluded.penalty_minutes, "
     "scoreboard_type = excluded.scoreboard_type"},
    {"upsert_problem",
     "INSERT INTO problems (contest_id, id, label, name, ordinal, rgb, time_limit_ms, "
     "memory_limit_kib, output_limit_kib, validation, validator_flags) VALUES ($1, $2, $3, $4, $5, "
     "$6, $7, $8, $9, $10, $11) ON CONFLICT (contest_id, id) DO UPDATE SET label = excluded.label, "
     "name = excluded.name, ordinal = excluded.ordinal, rgb = excluded.rgb, time_limit_ms = "
     "excluded.time_limit_ms, memory_limit_kib = excluded.memory_limit_kib, output_limit_kib = "
     "excluded.output_limit_kib, validation = excluded.validation, validator_flags = "
     "excluded.validator_flags"},
    {"insert_blob", "INSERT INTO blobs (sha256, data) VALUES ($1, $2) ON CONFLICT DO NOTHING"},
    {"upsert_testcase",
     "INSERT INTO testcases (contest_id, problem_id, ordinal, is_sample, input_sha, answer_sha, "
     "group_ordinal) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contest_id, problem_id, "
     "ordinal) DO UPDATE SET is_sample = excluded.is_sample, input_sha = excluded.input_sha, "
     "answer_sha = excluded.answer_sha, group_ordinal = excluded.group_ordinal"},
    {"trim_testcases",
     "DELETE FROM testcases WHERE contest_id = $1 AND problem_id = $2 AND ordinal > $3"},
    // Scored problems and jury submissions (migration 0009, store_scoring.cc).
    {"delete_problem_groups",
     "DELETE FROM problem_groups WHERE contest_id = $1 AND problem_id = $2"},
    {"insert_problem_group",
     "INSERT INTO problem_groups (contest_id, problem_id, ordinal, name, points, on_reject) "
     "VALUES ($1, $2, $3, $4, $5, $6)"},
    {"problem_groups",
     "SELECT ordinal, name, points, on_reject = 'continue' FROM problem_groups "
     "WHERE contest_id = $1 AND problem_id = $2 ORDER BY ordinal"},
    {"insert_jury_team",
     "INSERT INTO teams (id, name) VALUES ($1, 'Jury submissions') ON CONFLICT (id) DO NOTHING"},
    {"insert_jury_submission",
     "INSERT INTO submissions (contest_id, team_id, problem_id, language_id, source, filename, "
     "is_jury) VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id, " MS("submitted_at")},
    {"insert_jury_expectation",
     "INSERT INTO jury_submissions (submission_id, contest_id, problem_id, path, expected_verdict) "
     "VALUES ($1, $2, $3, $4, $5)"},
    {"jury_submissions",
     "SELECT js.submission_id, js.path, s.language_id, js.expected_verdict, j.verdict, j.score "
     "FROM jury_submissions js JOIN submissions s ON s.id = js.submission_id LEFT JOIN judgements "
     "j ON j.submission_id = s.id AND j.is_current WHERE js.contest_id = $1 AND "
     "js.problem_id = $2 ORDER BY js.path, js.submission_id"},
};

std::optional<int64_t> opt_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int64_t>();
}

std::vector<std::string> json_strings(const pqxx::field& f) {
  if (f.is_null()) return {};
  return nlohmann::json::parse(f.c_str()).get<std::vector<std::string>>();
}

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str());
}

SubmissionState state_from(std::string_view text) {
  if (text == "judging") return SubmissionState::Judging;
  if (text == "judged") return SubmissionState::Judged;
  return SubmissionState::Queued;
}

}  // namespace

Contest contest_from(const pqxx::row& r) {
  Contest c;
  c.id = r[0].c_str();
  c.name = r[1].c_str();
  c.formal_name = r[2].c_str();
  c.start_ms = opt_int(r[3]);
  c.duration_ms = r[4].as<int64_t>();
  c.freeze_ms = opt_int(r[5]);
  c.penalty_minutes = r[6].as<int>();
  c.scoreboard_type = r[7].c_str();
  c.thawed_ms = opt_int(r[8]);
  c.finalized_ms = opt_int(r[9]);
  return c;
}

Problem problem_from(const pqxx::row& r) {
  Problem p;
  p.contest_id = r[0].c_str();
  p.id = r[1].c_str();
  p.label = r[2].c_str();
  p.name = r[3].c_str();
  p.ordinal = r[4].as<int>();
  if (!r[5].is_null()) p.rgb = r[5].c_str();
  p.time_limit_ms = r[6].as<int>();
  p.memory_limit_kib = r[7].as<int64_t>();
  p.output_limit_kib = r[8].as<int64_t>();
  p.validation = r[9].c_str();
  p.validator_flags = r[10].c_str();
  p.test_count = r[11].as<int>();
  return p;
}

User user_from(const pqxx::row& r) {
  User u{r[0].as<int64_t>(), r[1].c_str(), r[2].c_str(),
         parse_role(r[3].c_str()).value_or(Role::Team), std::nullopt};
  if (!r[4].is_null()) u.team_id = r[4].c_str();
  return u;
}

Team team_from(const pqxx::row& r) {
  return Team{r[0].c_str(), r[1].c_str(), r[2].c_str(), opt_text(r[3]), json_strings(r[4])};
}

Submission submission_from(const pqxx::row& r) {
  Submission s;
  s.id = r[0].as<int64_t>();
  s.contest_id = r[1].c_str();
  s.team_id = r[2].c_str();
  s.problem_id = r[3].c_str();
  s.language_id = r[4].c_str();
  s.source = pqxx::binarystring(r[5]).str();
  s.submitted_ms = r[6].as<int64_t>();
  s.state = state_from(r[7].c_str());
  s.attempt = r[8].as<int>();
  s.filename = opt_text(r[9]);
  s.entry_point = opt_text(r[10]);
  return s;
}

Judgement judgement_from(const pqxx::row& r) {
  Judgement j;
  j.id = r[0].as<int64_t>();
  j.submission_id = r[1].as<int64_t>();
  j.contest_id = r[2].c_str();
  j.attempt = r[3].as<int>();
  j.verdict = r[4].c_str();
  j.is_current = r[5].as<bool>();
  j.is_manual = r[6].as<bool>();
  j.judged_by = r[7].c_str();
  j.start_ms = r[8].as<int64_t>();
  j.end_ms = r[9].as<int64_t>();
  if (!r[10].is_null()) j.max_run_time_ms = r[10].as<int>();
  j.compile_output = r[11].c_str();
  if (!r[12].is_null()) j.score = r[12].as<double>();
  return j;
}

std::vector<Run> runs_of(pqxx::work& w, int64_t judgement_id) {
  std::vector<Run> runs;
  for (const auto& r : w.exec_prepared("runs", judgement_id))
    runs.push_back({r[0].as<int>(), r[1].as<int64_t>(), r[2].c_str(), r[3].as<int>(),
                    r[4].as<int>(), r[5].as<int64_t>(), r[6].as<int64_t>(), r[7].c_str()});
  return runs;
}

std::optional<Contest> read_contest(pqxx::work& w, const std::string& contest_id) {
  auto rows = w.exec_prepared("contests", contest_id);
  if (rows.empty()) return std::nullopt;
  return contest_from(rows[0]);
}

pqxx::connection& Store::Impl::conn() {
  if (connection && connection->is_open()) return *connection;
  try {
    connection = std::make_unique<pqxx::connection>(url);
    for (const auto& [name, sql] : kStatements) connection->prepare(name, sql);
  } catch (const std::exception& e) {
    connection.reset();
    throw StoreError(std::string("cannot connect to Postgres: ") + e.what());
  }
  return *connection;
}

void make_durable(Store::Impl& impl, const char* operation) {
  translating_failures(impl, operation, [&] {
    pqxx::nontransaction(impl.conn()).exec_prepared0("durability_mark");
  });
}

Store::Store(const std::string& database_url) : impl_(std::make_unique<Impl>()) {
  impl_->url = database_url;
}
Store::~Store() = default;

bool Store::ping() {
  try {
    in_transaction(*impl_, "ping", [](pqxx::work& w) { w.exec("SELECT 1"); });
    return true;
  } catch (const StoreError&) {
    return false;
  }
}

std::vector<Contest> Store::contests() {
  return in_transaction(*impl_, "contests", [](pqxx::work& w) {
    std::vector<Contest> out;
    for (const auto& r : w.exec_prepared("contests", nullptr)) out.push_back(contest_from(r));
    return out;
  });
}

std::optional<Contest> Store::contest(const std::string& contest_id) {
  return in_read(*impl_, "contest", [&](pqxx::transaction_base& w) -> std::optional<Contest> {
    auto rows = w.exec_prepared("contests", contest_id);
    if (rows.empty()) return std::nullopt;
    return contest_from(rows[0]);
  });
}

std::vector<ScoreboardSubmission> Store::scoreboard_submissions(const std::string& contest_id) {
  return in_transaction(*impl_, "scoreboard_submissions", [&](pqxx::work& w) {
    std::vector<ScoreboardSubmission> out;
    auto rows = w.exec_prepared("scoreboard_submissions", contest_id);
    out.reserve(rows.size());
    for (const auto& r : rows) {
      out.push_back({r[0].c_str(), r[1].c_str(), r[2].as<int64_t>(), std::nullopt,
                     r[4].as<int64_t>()});
      if (!r[3].is_null()) out.back().verdict = r[3].c_str();
      if (!r[5].is_null()) out.back().score = r[5].as<double>();
    }
    return out;
  });
}

bool Store::update_contest_settings(const Contest& c) {
  std::optional<std::string> freeze;
  if (c.freeze_ms) freeze = std::to_string(*c.freeze_ms);
  return in_transaction(*impl_, "update_contest_settings", [&](pqxx::work& w) {
    if (w.exec_prepared("update_contest_settings", c.id, c.name, c.formal_name, c.duration_ms,
                        nullable(freeze), c.penalty_minutes, c.scoreboard_type)
            .affected_rows() != 1)
      return false;
    emit_contest(w, c.id);
    return true;
  });
}

int64_t Store::contest_changes(const std::string& contest_id) {
  return in_read(*impl_, "contest_changes", [&](pqxx::transaction_base& w) -> int64_t {
    auto rows = w.exec_prepared("contest_changes", contest_id);
    return rows.empty() ? 0 : rows[0][0].as<int64_t>();
  });
}

std::optional<std::pair<Contest, int64_t>> Store::contest_with_changes(
    const std::string& contest_id) {
  return in_read(*impl_, "contest_with_changes",
                 [&](pqxx::transaction_base& w) -> std::optional<std::pair<Contest, int64_t>> {
                   auto rows = w.exec_prepared("contest_with_changes", contest_id);
                   if (rows.empty()) return std::nullopt;
                   return std::pair{contest_from(rows[0]), rows[0][10].as<int64_t>()};
                 });
}

bool Store::set_contest_thaw(const std::string& contest_id, int64_t thaw_ms) {
  return in_transaction(*impl_, "set_contest_thaw", [&](pqxx::work& w) {
    if (w.exec_prepared("set_contest_thaw", contest_id, thaw_ms).affected_rows() != 1) return false;
    emit_contest(w, contest_id);  // The feed learns of the thaw in the same transaction.
    return true;
  });
}

std::vector<Problem> Store::problems(const std::string& contest_id) {
  return in_transaction(*impl_, "problems", [&](pqxx::work& w) {
    std::vector<Problem> out;
    for (const auto& r : w.exec_prepared("problems", contest_id, nullptr))
      out.push_back(problem_from(r));
    return out;
  });
}

std::optional<Problem> Store::problem(const std::string& contest_id, const std::string& problem_id) {
  return in_read(*impl_, "problem", [&](pqxx::transaction_base& w) -> std::optional<Problem> {
    auto rows = w.exec_prepared("problems", contest_id, problem_id);
    if (rows.empty()) return std::nullopt;
    return problem_from(rows[0]);
  });
}

std::vector<TestCase> Store::testcases(const std::string& contest_id,
                                       const std::string& problem_id) {
  return in_read(*impl_, "testcases", [&](pqxx::transaction_base& w) {
    std::vector<TestCase> out;
    for (const auto& r : w.exec_prepared("testcases", contest_id, problem_id))
      out.push_back({r[0].as<int64_t>(), r[1].as<int>(), r[2].as<bool>(), r[3].c_str(),
                     r[4].c_str(), r[5].as<int>()});
    return out;
  });
}

std::vector<std::pair<std::string, std::string>> Store::validator_files(
    const std::string& contest_id, const std::string& problem_id) {
  return in_transaction(*impl_, "validator_files", [&](pqxx::work& w) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : w.exec_prepared("validator_files", contest_id, problem_id))
      out.emplace_back(r[0].c_str(), pqxx::binarystring(r[1]).str());
    return out;
  });
}

std::optional<std::string> Store::blob(const std::string& sha256) {
  return in_transaction(*impl_, "blob", [&](pqxx::work& w) -> std::optional<std::string> {
    auto rows = w.exec_prepared("blob", sha256);
    if (rows.empty()) return std::nullopt;
    return pqxx::binarystring(rows[0][0]).str();
  });
}

namespace {

// A language from the columns of the "languages" statement, starting at column `first`.
Language language_from(const pqxx::row& r, int first) {
  auto col = [&](int i) { return r[first + i]; };
  Language l{col(0).c_str(), col(1).c_str(), json_strings(col(2)), col(3).c_str(),
             json_strings(col(4)), json_strings(col(5)), col(6).as<bool>()};
  // An unknown kind (a CHECK keeps them out) is treated as none.
  l.entry_kind = parse_entry_kind(col(7).c_str()).value_or(EntryKind::None);
  l.version_argv = json_strings(col(8));
  l.selftest_source = col(9).c_str();
  return l;
}

}  // namespace

std::vector<Language> Store::languages() {
  return in_read(*impl_, "languages", [](pqxx::transaction_base& w) {
    std::vector<Language> out;
    for (const auto& r : w.exec_prepared("languages")) out.push_back(language_from(r, 0));
    return out;
  });
}

SubmissionRefs Store::submission_refs(const std::string& contest_id, const std::string& problem_id,
                                      const std::string& team_id, const std::string& language_id) {
  return in_read(*impl_, "submission_refs", [&](pqxx::transaction_base& w) {
    auto r = w.exec_prepared1("submission_refs", contest_id, problem_id, team_id, language_id);
    SubmissionRefs refs{r[0].as<bool>(), r[1].as<bool>(), std::nullopt};
    if (!r[2].is_null()) refs.language = language_from(r, 2);
    return refs;
  });
}

std::vector<Team> Store::teams(const std::string& contest_id) {
  return in_transaction(*impl_, "teams", [&](pqxx::work& w) {
    std::vector<Team> out;
    for (const auto& r : w.exec_prepared("teams", contest_id, nullptr))
      out.push_back(team_from(r));
    return out;
  });
}

std::optional<Team> Store::team(const std::string& contest_id, const std::string& team_id) {
  return in_read(*impl_, "team", [&](pqxx::transaction_base& w) -> std::optional<Team> {
    auto rows = w.exec_prepared("teams", contest_id, team_id);
    if (rows.empty()) return std::nullopt;
    return team_from(rows[0]);
  });
}

std::optional<User> Store::user_by_name(const std::string& username) {
  return in_transaction(*impl_, "user_by_name", [&](pqxx::work& w) -> std::optional<User> {
    auto rows = w.exec_prepared("user_by_name", username);
    if (rows.empty()) return std::nullopt;
    return user_from(rows[0]);
  });
}

std::vector<User> Store::users() {
  return in_transaction(*impl_, "users", [](pqxx::work& w) {
    std::vector<User> out;
    for (const auto& r : w.exec_prepared("users")) out.push_back(user_from(r));
    return out;
  });
}

bool Store::team_exists(const std::string& team_id) {
  return in_transaction(*impl_, "team_exists", [&](pqxx::work& w) {
    return !w.exec_prepared("team_exists", team_id).empty();
  });
}

std::vector<Organization> Store::organizations() {
  return in_transaction(*impl_, "organizations", [](pqxx::work& w) {
    std::vector<Organization> out;
    for (const auto& r : w.exec_prepared("organizations", nullptr))
      out.push_back({r[0].c_str(), r[1].c_str(), opt_text(r[2]), opt_text(r[3])});
    return out;
  });
}

std::optional<Organization> Store::organization(const std::string& organization_id) {
  return in_transaction(*impl_, "organization", [&](pqxx::work& w) -> std::optional<Organization> {
    auto rows = w.exec_prepared("organizations", organization_id);
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Organization{r[0].c_str(), r[1].c_str(), opt_text(r[2]), opt_text(r[3])};
  });
}

std::vector<Group> Store::groups() {
  return in_transaction(*impl_, "groups", [](pqxx::work& w) {
    std::vector<Group> out;
    for (const auto& r : w.exec_prepared("groups", nullptr))
      out.push_back({r[0].c_str(), r[1].c_str()});
    return out;
  });
}

std::optional<Group> Store::group(const std::string& group_id) {
  return in_transaction(*impl_, "group", [&](pqxx::work& w) -> std::optional<Group> {
    auto rows = w.exec_prepared("groups", group_id);
    if (rows.empty()) return std::nullopt;
    return Group{rows[0][0].c_str(), rows[0][1].c_str()};
  });
}

namespace {

// A Postgres text[] literal: every element quoted, quotes and backslashes escaped.
std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

Submission insert_submission(pqxx::work& w, const NewSubmission& n) {
  auto row = w.exec_prepared1("insert_submission", n.contest_id, n.team_id, n.problem_id,
                              n.language_id, pqxx::binarystring(n.source), nullable(n.filename),
                              nullable(n.entry_point));
  Submission s{row[0].as<int64_t>(), n.contest_id, n.team_id, n.problem_id, n.language_id,
               n.source, row[1].as<int64_t>(), SubmissionState::Queued, 0};
  s.filename = n.filename;
  s.entry_point = n.entry_point;
  for (const auto& f : n.files)
    w.exec_prepared("insert_submission_file", s.id, f.path, pqxx::binarystring(f.content));
  s.files = n.files;
  return s;
}

}  // namespace

Submission Store::create_submission(const NewSubmission& n) {
  return create_submissions({n}).front();
}

// The event lock of a contest is held from the first emit until the commit: taking it after
// every insert keeps that stretch short, and taking the contests' locks in one order keeps two
// batches (in two API processes) from deadlocking.
std::vector<Submission> Store::create_submissions(const std::vector<NewSubmission>& batch) {
  return in_event_transaction(*impl_, "create_submission", [&](pqxx::work& w) {
    std::vector<Submission> out;
    out.reserve(batch.size());
    for (const auto& n : batch) out.push_back(insert_submission(w, n));
    std::vector<const Submission*> by_contest;
    for (const auto& s : out) by_contest.push_back(&s);
    std::stable_sort(by_contest.begin(), by_contest.end(),
                     [](const Submission* a, const Submission* b) {
                       return a->contest_id < b->contest_id;
                     });
    for (auto first = by_contest.begin(); first != by_contest.end();) {
      const std::string& contest_id = (*first)->contest_id;
      auto last = std::find_if(first, by_contest.end(), [&](const Submission* s) {
        return s->contest_id != contest_id;
      });
      if (auto contest = read_contest(w, contest_id)) {
        std::vector<std::string> ids, data, teams;
        for (auto it = first; it != last; ++it) {
          ids.push_back(std::to_string((*it)->id));
          data.push_back(submission_json(**it, *contest).dump());
          teams.push_back((*it)->team_id);
        }
        w.exec_prepared("lock_contest_events", contest_id);  // As emit() does.
        w.exec_prepared("insert_submission_events", contest_id, text_array(ids),
                        text_array(data), text_array(teams));
      }
      first = last;
    }
    return out;
  });
}

std::vector<Submission> Store::submissions(const std::string& contest_id,
                                           const std::optional<std::string>& team_filter) {
  return in_transaction(*impl_, "submissions", [&](pqxx::work& w) {
    std::vector<Submission> out;
    for (const auto& r : w.exec_prepared("submissions", contest_id, nullable(team_filter)))
      out.push_back(submission_from(r));
    return out;
  });
}

std::optional<Submission> Store::submission(int64_t submission_id) {
  return in_read(*impl_, "submission", [&](pqxx::transaction_base& w) -> std::optional<Submission> {
    auto rows = w.exec_prepared("submission", submission_id);
    if (rows.empty()) return std::nullopt;
    Submission s = submission_from(rows[0]);
    for (const auto& r : w.exec_prepared("submission_files", submission_id))
      s.files.push_back({r[0].c_str(), pqxx::binarystring(r[1]).str()});
    return s;
  });
}

std::vector<Judgement> Store::judgements(const std::string& contest_id,
                                         const std::optional<int64_t>& submission_filter,
                                         const std::optional<std::string>& team_filter) {
  std::optional<std::string> sid;
  if (submission_filter) sid = std::to_string(*submission_filter);
  return in_transaction(*impl_, "judgements", [&](pqxx::work& w) {
    std::vector<Judgement> out;
    for (const auto& r :
         w.exec_prepared("judgements", contest_id, nullable(sid), nullable(team_filter)))
      out.push_back(judgement_from(r));
    return out;
  });
}

std::optional<Judgement> Store::judgement(int64_t judgement_id) {
  return in_transaction(*impl_, "judgement", [&](pqxx::work& w) -> std::optional<Judgement> {
    auto rows = w.exec_prepared("judgement", judgement_id);
    if (rows.empty()) return std::nullopt;
    Judgement j = judgement_from(rows[0]);
    j.runs = runs_of(w, j.id);
    return j;
  });
}

std::optional<Claim> Store::claim(int64_t submission_id, const std::string& contest_id,
                                  const std::string& worker_id, int lease_seconds,
                                  const std::optional<std::vector<std::string>>& languages) {
  return in_transaction(*impl_, "claim", [&](pqxx::work& w) -> std::optional<Claim> {
    auto rows = w.exec_prepared("claim", submission_id, worker_id, lease_seconds, contest_id,
                                nullable(language_list(languages)));
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Claim{r[0].as<int64_t>(), r[1].as<int>(), r[2].as<int>(), r[3].as<double>()};
  });
}

bool Store::heartbeat(int64_t submission_id, int attempt, int lease_seconds) {
  return in_transaction(*impl_, "heartbeat", [&](pqxx::work& w) {
    return w.exec_prepared("heartbeat", submission_id, attempt, lease_seconds).affected_rows() == 1;
  });
}

bool Store::release(int64_t submission_id, int attempt) {
  return in_transaction(*impl_, "release", [&](pqxx::work& w) {
    return w.exec_prepared("release", submission_id, attempt).affected_rows() == 1;
  });
}

RecordResult Store::record_judgement(const Judgement& j, const Fence& fence) {
  auto record = [&](pqxx::work& w) -> RecordResult {
    auto finished = fence.kind == Fence::Kind::Worker
                        ? w.exec_prepared("finish_fenced", j.submission_id, fence.attempt)
                        : w.exec_prepared("finish_manual", j.submission_id);
    if (finished.empty()) {
      bool exists = !w.exec_prepared("submission", j.submission_id).empty();
      return {exists ? RecordStatus::LeaseLost : RecordStatus::NoSuchSubmission, 0};
    }
    std::string contest_id = finished[0][0].c_str(), team_id = finished[0][2].c_str();
    int attempt = finished[0][1].as<int>();
    for (const auto& replaced : w.exec_prepared("uncurrent_judgements", j.submission_id))
      emit_replaced_judgement(w, replaced[0].as<int64_t>(), team_id);
    std::optional<std::string> max_run;
    if (j.max_run_time_ms) max_run = std::to_string(*j.max_run_time_ms);
    auto row = w.exec_prepared1("insert_judgement", j.submission_id, attempt, j.verdict,
                                fence.kind == Fence::Kind::Manual, j.judged_by, j.start_ms,
                                nullable(max_run), j.compile_output, nullable(score_text(j.score)));
    Judgement recorded = j;
    recorded.id = row[0].as<int64_t>();
    recorded.end_ms = row[1].as<int64_t>();
    recorded.contest_id = contest_id;
    recorded.attempt = attempt;
    recorded.is_current = true;
    recorded.is_manual = fence.kind == Fence::Kind::Manual;
    for (auto& run : recorded.runs)
      run.id = w.exec_prepared1("insert_run", recorded.id, run.ordinal, run.testcase_id,
                                run.verdict, run.cpu_ms, run.wall_ms, run.memory_kib,
                                run.judge_message)[0]
                   .as<int64_t>();
    emit_judgement(w, recorded, team_id);
    return {RecordStatus::Recorded, recorded.id};
  };
  // A worker's verdict lost with Postgres is judged again (its lease expires and the sweeper
  // requeues it, as when a worker dies): it need not wait for the disk. The jury's must.
  if (fence.kind == Fence::Kind::Worker)
    return in_async_transaction(*impl_, "record_judgement", record);
  return in_event_transaction(*impl_, "record_judgement", record);
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace core
