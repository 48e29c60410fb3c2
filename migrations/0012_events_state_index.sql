-- The contest's latest state event, found by an index instead of a scan of all its events.
--
-- Every API process writes a state event when the clock moves a contest (Store::record_state,
-- about once a second), comparing with the last one while it holds the contest's event lock.
-- Without this index that lookup read every event of the contest backwards: 80 ms on a
-- contest of 270,000 events (1,000 teams, 100,000 submissions), during which no submission of
-- the contest could commit. State events are few, so the partial index stays small.
CREATE INDEX events_state ON events (contest_id, id) WHERE type = 'state';
