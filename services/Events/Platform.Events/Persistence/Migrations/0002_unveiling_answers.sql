-- What talent-pipeline did with an unveiled plaque (PlaqueUnveilingApplied / PlaqueUnveilingRejected).
-- Plaques recorded before talent-pipeline answered were acted on without an answer: they count as applied.
ALTER TABLE unveilings ADD COLUMN state character varying(20) NOT NULL DEFAULT 'Applied';
ALTER TABLE unveilings ALTER COLUMN state DROP DEFAULT;
UPDATE unveilings SET state = 'Recorded' WHERE kind = 'Other';
ALTER TABLE unveilings ADD COLUMN program_id uuid;
ALTER TABLE unveilings ADD COLUMN refusals jsonb NOT NULL DEFAULT '[]';
ALTER TABLE unveilings ALTER COLUMN refusals DROP DEFAULT;
ALTER TABLE unveilings ADD COLUMN resolved_at timestamp with time zone;
