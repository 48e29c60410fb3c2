-- Recovery (issue 5): internal failures are retried with backoff, then end as JE.
-- failures: internal errors and expired leases so far; retry_at: a retried submission is not
-- claimed before it. queued_at now means "last put on the queue" (the sweeper re-pushes rows
-- that sat queued too long because Redis lost their item).
ALTER TABLE submissions ADD COLUMN failures integer NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN retry_at timestamptz;
-- The fair claim picks among a contest's queued submissions.
CREATE INDEX submissions_queued ON submissions (contest_id, submitted_at) WHERE state = 'queued';
