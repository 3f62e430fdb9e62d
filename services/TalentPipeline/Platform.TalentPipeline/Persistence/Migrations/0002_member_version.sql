-- The membership version of the event that set the status (0: from before versions); newer versions win.
ALTER TABLE members ADD COLUMN version bigint NOT NULL DEFAULT 0;
ALTER TABLE members ALTER COLUMN version DROP DEFAULT;
