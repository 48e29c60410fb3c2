-- Clarifications (CLICS 2023-06): a team's question (from_team_id set, to_team_id NULL), the
-- jury's answer to one team (to_team_id set) or to all, and announcements (both NULL).
--
-- Ids are text because an admin may PUT one of its own choosing (CLICS admin_clar); the server's
-- own are the decimal numbers of clarification_ids, and a decimal id PUT by hand moves that
-- sequence past itself (ClarificationStore) so that the two never collide. seq orders the rows
-- as they were created, whatever their ids.
CREATE SEQUENCE clarification_ids;

CREATE TABLE clarifications (
  contest_id    text NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
  id            text NOT NULL,
  seq           bigint NOT NULL,
  from_team_id  text REFERENCES teams(id),
  to_team_id    text REFERENCES teams(id),
  reply_to_id   text,
  -- No foreign key: a problem is replaced (deleted and inserted again) by a package upload.
  problem_id    text,
  text          text NOT NULL,
  time          timestamptz NOT NULL,
  created_by    text NOT NULL,  -- The account that sent it (a jury member asking for a team).
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contest_id, id),
  FOREIGN KEY (contest_id, reply_to_id) REFERENCES clarifications (contest_id, id),
  -- CLICS: teams cannot send messages to other teams.
  CHECK (from_team_id IS NULL OR to_team_id IS NULL)
);
CREATE INDEX clarifications_contest ON clarifications (contest_id, seq);
-- Finalizing counts the questions without an answer (a jury message replying to them).
CREATE INDEX clarifications_replies ON clarifications (contest_id, reply_to_id)
  WHERE reply_to_id IS NOT NULL;
