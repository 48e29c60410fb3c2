-- An event that removes its object from its team's view (the team's feed gets it as a deletion,
-- data null) while the jury sees the object as it is: a judgement that a new one replaced, and
-- that judgement's runs. A team's GET shows only the current judgement and its runs.
ALTER TABLE events ADD COLUMN team_deletes boolean NOT NULL DEFAULT false;
-- Until now only replaced judgements were such events, told by their data (current: false).
UPDATE events SET team_deletes = true
WHERE type = 'judgements' AND team_id IS NOT NULL AND data->>'current' = 'false';
