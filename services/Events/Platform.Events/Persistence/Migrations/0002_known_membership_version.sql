-- The membership version of the event that set the status (0: from before versions); newer versions win.
ALTER TABLE known_memberships ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE known_memberships ALTER COLUMN version DROP DEFAULT;
