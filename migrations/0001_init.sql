-- Core schema: accounts, contests, problems with content-addressed test data, languages as data
-- rows, submissions with their lease state, judgements (one per finished attempt), runs, and the
-- events outbox written in the same transaction as each change it describes.

CREATE TABLE teams (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  display_name  text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             bigserial PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'jury', 'team')),
  team_id        text REFERENCES teams(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'team' OR team_id IS NOT NULL)
);

CREATE TABLE contests (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  formal_name      text,
  start_time       timestamptz,
  duration_ms      bigint NOT NULL CHECK (duration_ms > 0),
  freeze_ms        bigint CHECK (freeze_ms >= 0),
  penalty_minutes  integer NOT NULL DEFAULT 20 CHECK (penalty_minutes >= 0),
  scoreboard_type  text NOT NULL DEFAULT 'pass-fail' CHECK (scoreboard_type IN ('pass-fail', 'score')),
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contest_teams (
  contest_id  text NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
  team_id     text NOT NULL REFERENCES teams(id),
  PRIMARY KEY (contest_id, team_id)
);

CREATE TABLE languages (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  extensions     text[] NOT NULL,
  source_file    text NOT NULL,          -- name the source gets in the box
  compile_argv   text[] NOT NULL,        -- empty: nothing to compile
  run_argv       text[] NOT NULL,
  enabled        boolean NOT NULL DEFAULT true
);

INSERT INTO languages (id, name, extensions, source_file, compile_argv, run_argv) VALUES
  ('c', 'C', '{c}', 'main.c',
   '{/usr/bin/gcc,-x,c,-std=gnu17,-O2,-pipe,-static,-o,main,main.c,-lm}', '{./main}'),
  ('cpp', 'C++', '{cpp,cc,cxx,c++}', 'main.cpp',
   '{/usr/bin/g++,-x,c++,-std=gnu++20,-O2,-pipe,-static,-o,main,main.cpp}', '{./main}'),
  ('python3', 'Python 3', '{py}', 'main.py',
   '{/usr/bin/python3,-m,py_compile,main.py}', '{/usr/bin/python3,-S,main.py}');

CREATE TABLE blobs (
  sha256  text PRIMARY KEY,
  data    bytea NOT NULL
);

CREATE TABLE problems (
  contest_id        text NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
  id                text NOT NULL,
  label             text NOT NULL,
  name              text NOT NULL,
  ordinal           integer NOT NULL DEFAULT 0,
  color             text,
  rgb               text,
  time_limit_ms     integer NOT NULL CHECK (time_limit_ms > 0),
  memory_limit_kib  bigint NOT NULL CHECK (memory_limit_kib > 0),
  output_limit_kib  bigint NOT NULL DEFAULT 8192 CHECK (output_limit_kib > 0),
  validation        text NOT NULL DEFAULT 'default',
  validator_flags   text NOT NULL DEFAULT '',
  PRIMARY KEY (contest_id, id)
);

CREATE TABLE testcases (
  id          bigserial PRIMARY KEY,
  contest_id  text NOT NULL,
  problem_id  text NOT NULL,
  ordinal     integer NOT NULL,
  is_sample   boolean NOT NULL DEFAULT false,
  input_sha   text NOT NULL REFERENCES blobs(sha256),
  answer_sha  text NOT NULL REFERENCES blobs(sha256),
  FOREIGN KEY (contest_id, problem_id) REFERENCES problems(contest_id, id) ON DELETE CASCADE,
  UNIQUE (contest_id, problem_id, ordinal)
);

CREATE TABLE submissions (
  id            bigserial PRIMARY KEY,
  contest_id    text NOT NULL REFERENCES contests(id),
  team_id       text NOT NULL REFERENCES teams(id),
  problem_id    text NOT NULL,
  language_id   text NOT NULL REFERENCES languages(id),
  source        bytea NOT NULL,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'judging', 'judged')),
  attempt       integer NOT NULL DEFAULT 0,      -- fencing token: bumped by every claim
  lease_owner   text,
  lease_until   timestamptz,
  queued_at     timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (contest_id, problem_id) REFERENCES problems(contest_id, id)
);
CREATE INDEX submissions_contest ON submissions (contest_id, id);
CREATE INDEX submissions_state ON submissions (state, lease_until) WHERE state <> 'judged';

CREATE TABLE judgements (
  id               bigserial PRIMARY KEY,
  submission_id    bigint NOT NULL REFERENCES submissions(id),
  attempt          integer NOT NULL,
  verdict          text NOT NULL,
  is_current       boolean NOT NULL DEFAULT true,
  is_manual        boolean NOT NULL DEFAULT false,
  judged_by        text NOT NULL,
  start_time       timestamptz NOT NULL,
  end_time         timestamptz NOT NULL DEFAULT now(),
  max_run_time_ms  integer,
  compile_output   text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX judgements_one_current ON judgements (submission_id) WHERE is_current;
CREATE INDEX judgements_submission ON judgements (submission_id);

CREATE TABLE runs (
  id            bigserial PRIMARY KEY,
  judgement_id  bigint NOT NULL REFERENCES judgements(id),
  ordinal       integer NOT NULL,
  testcase_id   bigint NOT NULL REFERENCES testcases(id),
  verdict       text NOT NULL,
  cpu_ms        integer NOT NULL,
  wall_ms       integer NOT NULL,
  memory_kib    bigint NOT NULL,
  UNIQUE (judgement_id, ordinal)
);

CREATE TABLE events (
  id          bigserial PRIMARY KEY,
  contest_id  text NOT NULL,
  type        text NOT NULL,
  object_id   text,
  data        jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_contest ON events (contest_id, id);
