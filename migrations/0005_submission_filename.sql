-- The name of the file a team submitted (from the uploaded zip), so that GET .../files gives back
-- the zip layout the team sent. NULL for submissions sent as "source" text: those are served
-- under the language's source file name.
ALTER TABLE submissions ADD COLUMN filename text;
