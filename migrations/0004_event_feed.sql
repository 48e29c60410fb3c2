-- Event feed visibility: an event with a team_id (submissions, judgements and runs of that team)
-- is shown only to that team and to the jury; events without one are contest-wide.
ALTER TABLE events ADD COLUMN team_id text;
