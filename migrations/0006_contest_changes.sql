-- A per-contest change counter, bumped in the same transaction as every change the scoreboard
-- depends on: each event of the contest (submissions, judgements, contest changes: the outbox
-- rule), and registered teams and problems (written without events by the setup paths).
-- The API keys its scoreboard cache on it (one primary-key read per request).
--
-- Why not max(events.id): ids are handed out at INSERT but become visible at COMMIT, which can
-- happen in the other order. A reader between two such commits would see the higher id without
-- the earlier transaction's change, and the marker would not move when that change lands. The
-- counter's row lock makes writers of one contest commit their bumps in order, so a value once
-- read covers every change committed before it. The lock is held from a transaction's first
-- event to its commit: insert events last in a transaction, as the store does.
CREATE TABLE contest_changes (
  contest_id  text PRIMARY KEY,
  changes     bigint NOT NULL
);

-- Statement-level with transition tables: a bulk insert bumps once per contest, not per row.
-- ORDER BY takes the row locks in one order, so two multi-contest statements cannot deadlock.
-- First the contest's event lock (core/src/store.cc lock_contest_events: event writers take it
-- before their INSERT so that event ids commit in order). Every writer takes that lock before
-- this row lock, whichever comes first in its transaction (a problem insert, an event), so the
-- two locks can never be taken in opposite orders: no deadlock.
CREATE FUNCTION bump_contest_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(17758, hashtext(c.contest_id))
    FROM (SELECT DISTINCT contest_id FROM changed ORDER BY contest_id) c;
  INSERT INTO contest_changes (contest_id, changes)
  SELECT contest_id, count(*) FROM changed GROUP BY contest_id ORDER BY contest_id
  ON CONFLICT (contest_id) DO UPDATE SET changes = contest_changes.changes + excluded.changes;
  RETURN NULL;
END $$;

CREATE TRIGGER events_bump_changes AFTER INSERT ON events
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_contest_changes();

CREATE TRIGGER contest_teams_insert_bump AFTER INSERT ON contest_teams
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_contest_changes();
CREATE TRIGGER contest_teams_delete_bump AFTER DELETE ON contest_teams
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_contest_changes();

CREATE TRIGGER problems_insert_bump AFTER INSERT ON problems
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_contest_changes();
CREATE TRIGGER problems_update_bump AFTER UPDATE ON problems
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_contest_changes();
CREATE TRIGGER problems_delete_bump AFTER DELETE ON problems
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_contest_changes();
