-- An event that removes its object from its team's view (the team's feed gets it as a deletion,
-- data null) while the jury sees the object as it is: a judgement that a new one replaced, and
-- that judgement's runs. A team's GET shows only the current judgement and its runs.
ALTER TABLE events ADD COLUMN team_deletes boolean NOT NULL DEFAULT false;
-- Until now only replaced judgements were such events, told by their data (current: false).
UPDATE events SET team_deletes = true
WHERE type = 'judgements' AND team_id IS NOT NULL AND data->>'current' = 'false';

-- Events that change nothing the scoreboard reads: a submission's judging_state (claimed,
-- released, requeued, rejudged; the board counts queued and judging alike as pending, and a
-- verdict comes with its judgement's event). They do not bump contest_changes, the scoreboard
-- cache's key (0006), or every claim would make the next GET scoreboard recompute the board.
ALTER TABLE events ADD COLUMN moves_board boolean NOT NULL DEFAULT true;

-- bump_contest_changes (0006) for events: the same locks in the same order, only the rows that
-- move the board counted.
CREATE FUNCTION bump_contest_changes_for_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(17758, hashtext(c.contest_id))
    FROM (SELECT DISTINCT contest_id FROM changed WHERE moves_board ORDER BY contest_id) c;
  INSERT INTO contest_changes (contest_id, changes)
  SELECT contest_id, count(*) FROM changed WHERE moves_board GROUP BY contest_id
  ORDER BY contest_id
  ON CONFLICT (contest_id) DO UPDATE SET changes = contest_changes.changes + excluded.changes;
  RETURN NULL;
END $$;

DROP TRIGGER events_bump_changes ON events;
CREATE TRIGGER events_bump_changes AFTER INSERT ON events
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION bump_contest_changes_for_events();
