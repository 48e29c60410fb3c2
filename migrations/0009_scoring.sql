-- Scored problems (issue 6): test groups with points, a score per judgement, and jury
-- submissions imported from a package's submissions/ folders.
-- A problem is scored exactly when it has groups. Samples belong to no group (score 0).
CREATE TABLE problem_groups (
  contest_id  text NOT NULL,
  problem_id  text NOT NULL,
  ordinal     integer NOT NULL CHECK (ordinal > 0),
  name        text NOT NULL,
  points      double precision NOT NULL CHECK (points >= 0),
  -- break: stop running the group's tests at its first failure (its score is 0 anyway).
  on_reject   text NOT NULL DEFAULT 'break' CHECK (on_reject IN ('break', 'continue')),
  PRIMARY KEY (contest_id, problem_id, ordinal),
  FOREIGN KEY (contest_id, problem_id) REFERENCES problems(contest_id, id) ON DELETE CASCADE
);
ALTER TABLE testcases ADD COLUMN group_ordinal integer;  -- NULL: sample or pass-fail problem.
ALTER TABLE judgements ADD COLUMN score double precision CHECK (score >= 0);  -- Scored only.

-- Jury submissions belong to the hidden team '_jury' (no contest membership, so no scoreboard
-- row); is_jury keeps them off every scoreboard, their events are the hidden team's (jury only).
ALTER TABLE submissions ADD COLUMN is_jury boolean NOT NULL DEFAULT false;
CREATE TABLE jury_submissions (
  submission_id     bigint PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
  contest_id        text NOT NULL,
  problem_id        text NOT NULL,
  path              text NOT NULL,  -- In the package, e.g. submissions/accepted/sol.c
  expected_verdict  text NOT NULL
);
CREATE INDEX jury_submissions_problem ON jury_submissions (contest_id, problem_id);
