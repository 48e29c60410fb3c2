// SubmissionStore: submissions with their events, and the reads of submissions, judgements,
// runs and jury submissions (submission_store.h).
#include "core/submission_store.h"

#include <algorithm>
#include <span>

#include "core/clics.h"
#include "event_emit.h"
#include "rows.h"
#include "store_impl.h"

namespace core {
namespace {

// Laid out by hand: clang-format would split the SQL mid-clause.
// clang-format off
constexpr Statement kStatements[] = {
    {"insert_submission",
     "INSERT INTO submissions (contest_id, team_id, problem_id, language_id, source, filename, "
     "entry_point) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, " MS("submitted_at")},
    {"insert_submission_file",
     "INSERT INTO submission_files (submission_id, path, content) VALUES ($1, $2, $3)"},
    // The submissions events of one batch in one statement (one run of the events trigger), in
    // the order given: $2, $3, $4 are text arrays of object ids, data and team ids.
    {"insert_submission_events",
     "INSERT INTO events (contest_id, type, object_id, data, team_id) SELECT $1, 'submissions', "
     "x.object_id, x.data::jsonb, x.team_id FROM unnest($2::text[], $3::text[], $4::text[]) "
     "WITH ORDINALITY AS x(object_id, data, team_id, n) ORDER BY x.n"},
    // One row: problem and team known in the contest, then the language's columns as in
    // "languages" (NULL when unknown).
    {"submission_refs",
     "SELECT EXISTS (SELECT 1 FROM problems WHERE contest_id = $1 AND id = $2), EXISTS (SELECT 1 "
     "FROM contest_teams WHERE contest_id = $1 AND team_id = $3), l.id, l.name, "
     "array_to_json(l.extensions)::text, l.source_file, array_to_json(l.compile_argv)::text, "
     "array_to_json(l.run_argv)::text, l.enabled, coalesce(l.entry_kind, ''), "
     "array_to_json(l.version_argv)::text, l.selftest_source FROM (SELECT 1) one "
     "LEFT JOIN languages l ON l.id = $4"},
    {"submissions",
     "SELECT id, contest_id, team_id, problem_id, language_id, ''::bytea, " MS("submitted_at")
     ", state, attempt, filename, entry_point FROM submissions WHERE contest_id = $1 AND "
     "($2::text IS NULL OR team_id = $2) ORDER BY id"},
    // Also JudgingStore::record_judgement's test whether a submission exists.
    {"submission",
     "SELECT id, contest_id, team_id, problem_id, language_id, source, " MS("submitted_at")
     ", state, attempt, filename, entry_point FROM submissions WHERE id = $1"},
    {"submission_files",
     "SELECT path, content FROM submission_files WHERE submission_id = $1 ORDER BY path"},
    {"unjudged_submissions",
     "SELECT count(*) FROM submissions WHERE contest_id = $1 AND state <> 'judged'"},
    {"judging_error_submissions",
     "SELECT count(*) FROM submissions s JOIN judgements j ON j.submission_id = s.id AND "
     "j.is_current WHERE s.contest_id = $1 AND j.verdict = 'JE'"},
    {"judgements",
     "SELECT j.id, j.submission_id, s.contest_id, j.attempt, j.verdict, j.is_current, j.is_manual, "
     "j.judged_by, " MS("j.start_time") ", " MS("j.end_time") ", j.max_run_time_ms, "
     "j.compile_output, j.score FROM judgements j JOIN submissions s ON s.id = j.submission_id "
     "WHERE s.contest_id = $1 AND ($2::bigint IS NULL OR j.submission_id = $2) AND ($3::text IS NULL OR s.team_id = $3) "
     "ORDER BY j.id"},
    // Also the event log's, for a judgement that a new one replaced.
    {"judgement",
     "SELECT j.id, j.submission_id, s.contest_id, j.attempt, j.verdict, j.is_current, j.is_manual, "
     "j.judged_by, " MS("j.start_time") ", " MS("j.end_time") ", j.max_run_time_ms, "
     "j.compile_output, j.score FROM judgements j JOIN submissions s ON s.id = j.submission_id WHERE j.id = $1"},
    {"runs",
     "SELECT ordinal, testcase_id, verdict, cpu_ms, wall_ms, memory_kib, id, judge_message "
     "FROM runs WHERE judgement_id = $1 ORDER BY ordinal"},
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
    {"jury_submissions",
     "SELECT js.submission_id, js.path, s.language_id, js.expected_verdict, j.verdict, j.score "
     "FROM jury_submissions js JOIN submissions s ON s.id = js.submission_id LEFT JOIN judgements "
     "j ON j.submission_id = s.id AND j.is_current WHERE js.contest_id = $1 AND "
     "js.problem_id = $2 ORDER BY js.path, js.submission_id"},
};
// clang-format on

SourceFile source_file_from(const pqxx::row& r) {
  return {r[0].c_str(), pqxx::binarystring(r[1]).str()};
}

// "runs".
Run run_from(const pqxx::row& r) {
  return {r[0].as<int>(), r[1].as<int64_t>(), verdict_from(r[2]), r[3].as<int>(),
          r[4].as<int>(), r[5].as<int64_t>(), r[6].as<int64_t>(), r[7].c_str()};
}

JurySubmissionResult jury_submission_from(const pqxx::row& r) {
  return {r[0].as<int64_t>(), r[1].c_str(),      r[2].c_str(),
          verdict_from(r[3]), opt_verdict(r[4]), opt_double(r[5])};
}

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
  auto row =
      w.exec_prepared1("insert_submission", n.contest_id, n.team_id, n.problem_id, n.language_id,
                       pqxx::binarystring(n.source), nullable(n.filename), nullable(n.entry_point));
  Submission s{row[0].as<int64_t>(),
               n.contest_id,
               n.team_id,
               n.problem_id,
               n.language_id,
               n.source,
               row[1].as<int64_t>(),
               SubmissionState::Queued,
               0};
  s.filename = n.filename;
  s.entry_point = n.entry_point;
  for (const auto& f : n.files)
    w.exec_prepared("insert_submission_file", s.id, f.name, pqxx::binarystring(f.content));
  s.files = n.files;
  return s;
}

// The submissions events of one contest's part of a batch, in one statement.
void emit_submissions(pqxx::work& w, const std::string& contest_id,
                      std::span<const Submission* const> batch) {
  auto contest = read_contest(w, contest_id);
  if (!contest) return;
  std::vector<std::string> ids, data, teams;
  for (const Submission* s : batch) {
    ids.push_back(std::to_string(s->id));
    data.push_back(submission_json(*s, *contest).dump());
    teams.push_back(s->team_id);
  }
  lock_contest_events(w, contest_id);
  w.exec_prepared("insert_submission_events", contest_id, text_array(ids), text_array(data),
                  text_array(teams));
}

}  // namespace

const Statements kSubmissionStatements = kStatements;

Submission SubmissionStore::create_submission(const NewSubmission& n) {
  return create_submissions({n}).front();
}

// The event lock of a contest is held from the first emit until the commit: taking it after
// every insert keeps that stretch short, and taking the contests' locks in one order keeps two
// batches (in two API processes) from deadlocking.
std::vector<Submission> SubmissionStore::create_submissions(
    const std::vector<NewSubmission>& batch) {
  return in_event_transaction(db_, "create_submission", [&](pqxx::work& w) {
    std::vector<Submission> out;
    out.reserve(batch.size());
    for (const auto& n : batch) out.push_back(insert_submission(w, n));
    std::vector<const Submission*> by_contest;
    for (const auto& s : out) by_contest.push_back(&s);
    std::stable_sort(
        by_contest.begin(), by_contest.end(),
        [](const Submission* a, const Submission* b) { return a->contest_id < b->contest_id; });
    for (auto first = by_contest.begin(); first != by_contest.end();) {
      const std::string& contest_id = (*first)->contest_id;
      auto last = std::find_if(first, by_contest.end(),
                               [&](const Submission* s) { return s->contest_id != contest_id; });
      emit_submissions(w, contest_id, {first, last});
      first = last;
    }
    return out;
  });
}

SubmissionRefs SubmissionStore::submission_refs(const std::string& contest_id,
                                                const std::string& problem_id,
                                                const std::string& team_id,
                                                const std::string& language_id) {
  return in_read(db_, "submission_refs", [&](pqxx::transaction_base& w) {
    auto r = w.exec_prepared1("submission_refs", contest_id, problem_id, team_id, language_id);
    SubmissionRefs refs{r[0].as<bool>(), r[1].as<bool>(), std::nullopt};
    if (!r[2].is_null()) refs.language = language_at(r, 2);
    return refs;
  });
}

std::vector<Submission> SubmissionStore::submissions(
    const std::string& contest_id, const std::optional<std::string>& team_filter) {
  return in_transaction(db_, "submissions", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("submissions", contest_id, nullable(team_filter)),
                     submission_from);
  });
}

std::optional<Submission> SubmissionStore::submission(int64_t submission_id) {
  return in_read(db_, "submission", [&](pqxx::transaction_base& w) {
    auto s = read_first(w.exec_prepared("submission", submission_id), submission_from);
    if (s)
      s->files = read_rows(w.exec_prepared("submission_files", submission_id), source_file_from);
    return s;
  });
}

int64_t SubmissionStore::unjudged_submissions(const std::string& contest_id) {
  return in_transaction(db_, "unjudged_submissions", [&](pqxx::work& w) {
    return w.exec_prepared1("unjudged_submissions", contest_id)[0].as<int64_t>();
  });
}

int64_t SubmissionStore::judging_error_submissions(const std::string& contest_id) {
  return in_transaction(db_, "judging_error_submissions", [&](pqxx::work& w) {
    return w.exec_prepared1("judging_error_submissions", contest_id)[0].as<int64_t>();
  });
}

std::vector<Judgement> SubmissionStore::judgements(const std::string& contest_id,
                                                   const std::optional<int64_t>& submission_filter,
                                                   const std::optional<std::string>& team_filter) {
  auto sid = opt_number(submission_filter);
  return in_transaction(db_, "judgements", [&](pqxx::work& w) {
    return read_rows(
        w.exec_prepared("judgements", contest_id, nullable(sid), nullable(team_filter)),
        judgement_from);
  });
}

std::optional<Judgement> SubmissionStore::judgement(int64_t judgement_id) {
  return in_transaction(db_, "judgement", [&](pqxx::work& w) {
    auto j = read_first(w.exec_prepared("judgement", judgement_id), judgement_from);
    if (j) j->runs = read_rows(w.exec_prepared("runs", j->id), run_from);
    return j;
  });
}

std::vector<RunInfo> SubmissionStore::runs(const std::string& contest_id,
                                           const std::optional<int64_t>& judgement_filter,
                                           const std::optional<std::string>& team_filter) {
  auto judgement = opt_number(judgement_filter);
  return in_transaction(db_, "runs", [&](pqxx::work& w) {
    return read_rows(
        w.exec_prepared("contest_runs", contest_id, nullable(judgement), nullable(team_filter)),
        run_info_from);
  });
}

std::optional<RunInfo> SubmissionStore::run(int64_t run_id) {
  return in_transaction(db_, "run", [&](pqxx::work& w) {
    return read_first(w.exec_prepared("run", run_id), run_info_from);
  });
}

std::vector<JurySubmissionResult> SubmissionStore::jury_submissions(const std::string& contest_id,
                                                                    const std::string& problem_id) {
  return in_transaction(db_, "jury_submissions", [&](pqxx::work& w) {
    return read_rows(w.exec_prepared("jury_submissions", contest_id, problem_id),
                     jury_submission_from);
  });
}

}  // namespace core
