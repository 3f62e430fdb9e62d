-- Per (consortium, organization) membership version, carried by every membership event so read models order them
-- by it rather than by the producing instance's clock. Existing rows: one per history entry (the application and
-- each transition), counted on across the pair's earlier memberships.
ALTER TABLE memberships ADD COLUMN version bigint NOT NULL DEFAULT 0;
UPDATE memberships m SET version = v.version
  FROM (SELECT id, sum(jsonb_array_length(history)) OVER (PARTITION BY consortium_id, organization_id ORDER BY applied_at, id) AS version
          FROM memberships) v
 WHERE m.id = v.id;
ALTER TABLE memberships ALTER COLUMN version DROP DEFAULT;
