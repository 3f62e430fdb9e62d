-- Membership times as columns (the member list shows and sorts by them without reading the JSON history),
-- the member list's paging index, and when a council session's roles were last designated.

ALTER TABLE memberships ADD COLUMN applied_at timestamp with time zone NOT NULL DEFAULT now();
ALTER TABLE memberships ADD COLUMN updated_at timestamp with time zone NOT NULL DEFAULT now();
-- Existing rows got now(); take the real times from their history.
UPDATE memberships SET
    applied_at = (history -> 0 ->> 'At')::timestamptz,
    updated_at = (history -> (jsonb_array_length(history) - 1) ->> 'At')::timestamptz
WHERE jsonb_array_length(history) > 0;
ALTER TABLE memberships ALTER COLUMN applied_at DROP DEFAULT;
ALTER TABLE memberships ALTER COLUMN updated_at DROP DEFAULT;

CREATE INDEX ix_memberships_consortium_id_id ON memberships (consortium_id, id DESC);

ALTER TABLE council_sessions ADD COLUMN last_designated_at timestamp with time zone;
