-- Contest state for the CLICS state object and the scoreboard freeze: when the jury thawed the
-- public scoreboard (may lie in the future: a scheduled thaw) and when results became final.
ALTER TABLE contests
  ADD COLUMN thawed_at     timestamptz,
  ADD COLUMN finalized_at  timestamptz;

-- The scoreboard reads every submission of a contest in time order with team and problem: this
-- index answers that by an index scan without sorting (the source bytea stays untouched); the
-- current judgement comes through judgements_one_current.
CREATE INDEX submissions_scoreboard ON submissions (contest_id, submitted_at, id)
  INCLUDE (team_id, problem_id);
