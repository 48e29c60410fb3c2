-- Organizations and groups (CLICS), and which of them a team belongs to. Global like teams: a
-- team keeps its organization and groups across the contests it is registered in.

CREATE TABLE organizations (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  formal_name  text,
  country      text CHECK (country ~ '^[A-Z]{3}$'),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE groups (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE teams ADD COLUMN organization_id text REFERENCES organizations(id);

CREATE TABLE team_groups (
  team_id   text NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  group_id  text NOT NULL REFERENCES groups(id),
  PRIMARY KEY (team_id, group_id)
);
