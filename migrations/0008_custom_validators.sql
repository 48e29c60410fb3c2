-- Custom output validators and interactive problems (issue 6): problems.validation may now be
-- 'custom' or 'custom interactive', with the validator's source files stored here (blobs, like
-- test data). judge_message: the validator's judgemessage.txt for a run, shown to the jury only.
CREATE TABLE problem_validator_files (
  contest_id  text NOT NULL,
  problem_id  text NOT NULL,
  name        text NOT NULL,
  sha256      text NOT NULL REFERENCES blobs(sha256),
  PRIMARY KEY (contest_id, problem_id, name),
  FOREIGN KEY (contest_id, problem_id) REFERENCES problems(contest_id, id) ON DELETE CASCADE
);
ALTER TABLE runs ADD COLUMN judge_message text NOT NULL DEFAULT '';
