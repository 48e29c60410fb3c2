-- Awards (issue 18 item 2, core/awards.h): the medal counts per contest (the CCS requirements'
-- 4 gold, 4 silver, 4 bronze) and B, the extra bronze medals given at finalize (default 0).
ALTER TABLE contests
  ADD COLUMN gold_medals integer NOT NULL DEFAULT 4 CHECK (gold_medals >= 0),
  ADD COLUMN silver_medals integer NOT NULL DEFAULT 4 CHECK (silver_medals >= 0),
  ADD COLUMN bronze_medals integer NOT NULL DEFAULT 4 CHECK (bronze_medals >= 0),
  ADD COLUMN extra_bronze integer NOT NULL DEFAULT 0 CHECK (extra_bronze >= 0);

-- What the event feed last said of each award, per audience ('public': contest-wide events of
-- the public, frozen view; 'jury': what the jury's feed, which carries both, shows last), so
-- EventLog::record_awards writes an awards event only for an award that changed. data is the
-- award's JSON text, 'null' once it went away.
CREATE TABLE awards_emitted (
  contest_id  text NOT NULL,
  audience    text NOT NULL CHECK (audience IN ('public', 'jury')),
  award_id    text NOT NULL,
  data        text NOT NULL,
  PRIMARY KEY (contest_id, audience, award_id)
);
