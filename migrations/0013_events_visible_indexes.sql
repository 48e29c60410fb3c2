-- The newest event a caller may see (GET state's X-Event-Token, Store::last_visible_event_id):
-- the newest contest-wide event (team_id NULL) and the newest of the caller's team, each found
-- by an index instead of a walk backwards through every other team's events.
--
-- With the contest's events index (contest_id, id) or the primary key alone, that walk passes
-- each event since the last visible one: during a contest nearly all of them (measured: 270,000
-- team events after the last contest-wide one, 4,264 pages, 31-36 ms per GET state; with these
-- indexes 0.1 ms). "team_id IS NULL" is no equality, so a (contest_id, team_id, id) index would
-- not give the contest-wide events in id order: they get a partial index of their own (small).
CREATE INDEX events_public ON events (contest_id, id) WHERE team_id IS NULL;
CREATE INDEX events_team ON events (contest_id, team_id, id) WHERE team_id IS NOT NULL;
