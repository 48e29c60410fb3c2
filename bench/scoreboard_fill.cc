#include "scoreboard_fill.h"

#include <cstdio>
#include <pqxx/pqxx>

#include "bench_util.h"

namespace bench {
namespace {

constexpr int kChunks = 20;  // Submissions go in this many time slices (progress lines).

int digits(int n) { return static_cast<int>(std::to_string(n).size()); }

// The contest, its problems and its teams (registered).
void fill_setup(pqxx::work& w, const FillSpec& s) {
  w.exec_params(
      "INSERT INTO contests (id, name, start_time, duration_ms, freeze_ms, penalty_minutes) "
      "VALUES ($1, 'Scoreboard benchmark', to_timestamp($2::double precision / 1000), $3, $4, 20)",
      s.contest_id, s.start_ms, s.duration_ms, s.freeze_ms);
  // Labels A..Z, then P27, P28...
  w.exec_params(
      "INSERT INTO problems (contest_id, id, label, name, ordinal, time_limit_ms, "
      "memory_limit_kib) SELECT $1, 'p' || lpad(i::text, $3, '0'), CASE WHEN i <= 26 THEN "
      "chr(64 + i) ELSE 'P' || i END, 'Problem ' || i, i, 1000, 262144 "
      "FROM generate_series(1, $2) i",
      s.contest_id, s.problems, digits(s.problems));
  w.exec_params(
      "INSERT INTO teams (id, name) SELECT 'team' || lpad(i::text, $2, '0'), 'Team ' || i "
      "FROM generate_series(1, $1) i",
      s.teams, digits(s.teams));
  w.exec_params(
      "INSERT INTO contest_teams (contest_id, team_id) SELECT $1, 'team' || lpad(i::text, $3, "
      "'0') FROM generate_series(1, $2) i",
      s.contest_id, s.teams, digits(s.teams));
}

// One time slice [from_ms, to_ms) of submissions with their judgements and events. Teams are
// skewed (a few very active ones); verdicts: AC 30%, WA 45%, TLE 11%, RTE 5%, CE 5%, MLE and
// OLE 2% each.
constexpr const char* kSliceSql = R"(
WITH s AS (
  INSERT INTO submissions (contest_id, team_id, problem_id, language_id, source, submitted_at,
                           state, attempt, queued_at)
  SELECT $1, 'team' || lpad((1 + floor($4::int * power(random(), 1.5)))::int::text, $6::int, '0'),
         'p' || lpad((1 + floor($5::int * random()))::int::text, $7::int, '0'), 'c',
         convert_to('int main() { return 0; }', 'UTF8'), t, 'judged', 1, t
  FROM (SELECT to_timestamp(($2::float8 + random() * ($3::float8 - $2::float8)) / 1000) AS t
        FROM generate_series(1, $8::int) ORDER BY 1) g
  RETURNING id, submitted_at, team_id, problem_id),
j AS (
  INSERT INTO judgements (submission_id, attempt, verdict, judged_by, start_time, end_time,
                          max_run_time_ms)
  SELECT id, 1, CASE WHEN r < 0.30 THEN 'AC' WHEN r < 0.75 THEN 'WA' WHEN r < 0.86 THEN 'TLE'
                     WHEN r < 0.91 THEN 'RTE' WHEN r < 0.96 THEN 'CE' WHEN r < 0.98 THEN 'MLE'
                     ELSE 'OLE' END,
         'bench', submitted_at + interval '1 second', submitted_at + interval '3 seconds',
         (random() * 1000)::int
  FROM (SELECT s.*, random() AS r FROM s) v
  RETURNING id, submission_id, verdict),
e AS (
  INSERT INTO events (contest_id, type, object_id, data)
  SELECT $1, 'submissions', id::text, jsonb_build_object('id', id::text, 'team_id', team_id,
         'problem_id', problem_id, 'language_id', 'c') FROM s)
INSERT INTO events (contest_id, type, object_id, data)
SELECT $1, 'judgements', id::text, jsonb_build_object('id', id::text, 'submission_id',
       submission_id::text, 'judgement_type_id', verdict) FROM j
)";

}  // namespace

std::string team_id(int number, int teams) {
  std::string n = std::to_string(number);
  return "team" + std::string(static_cast<size_t>(digits(teams)) - n.size(), '0') + n;
}

std::string problem_id(int number, int problems) {
  std::string n = std::to_string(number);
  return "p" + std::string(static_cast<size_t>(digits(problems)) - n.size(), '0') + n;
}

void fill_contest(const std::string& database_url, const FillSpec& s) {
  pqxx::connection conn(database_url);
  auto started = Clock::now();
  {
    pqxx::work w(conn);
    w.exec("SELECT setseed(0.42)");
    fill_setup(w, s);
    w.commit();
  }
  std::fprintf(stderr, "fill: contest, %d problems, %d teams\n", s.problems, s.teams);
  const int64_t span = s.now_ms - s.start_ms;
  int done = 0;
  for (int chunk = 0; chunk < kChunks; ++chunk) {
    const int count = (s.submissions * (chunk + 1)) / kChunks - done;
    const int64_t from = s.start_ms + span * chunk / kChunks;
    const int64_t to = s.start_ms + span * (chunk + 1) / kChunks;
    pqxx::work w(conn);
    w.exec_params(kSliceSql, s.contest_id, from, to, s.teams, s.problems, digits(s.teams),
                  digits(s.problems), count);
    w.commit();
    done += count;
    std::fprintf(stderr, "\rfill: %d/%d judged submissions (%.1f s)", done, s.submissions,
                 ms_since(started) / 1000);
  }
  std::fprintf(stderr, "\nfill: vacuum analyze\n");
  pqxx::nontransaction(conn).exec("VACUUM ANALYZE");
  std::fprintf(stderr, "fill: done in %.1f s\n", ms_since(started) / 1000);
}

}  // namespace bench
