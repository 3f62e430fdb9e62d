-- Feed entries tell when they last changed (updated_at: the receipt of the newest message written into them) apart
-- from when the story happened (occurred_at), and the feed is paged by updated_at, so a late, backdated story comes
-- out on top where a poller finds it. Entries written before get their story's time; POST /api/v1/feed/rebuild
-- gives them their receipt times.
ALTER TABLE feed_entries ADD COLUMN updated_at timestamp with time zone;
UPDATE feed_entries SET updated_at = occurred_at;
ALTER TABLE feed_entries ALTER COLUMN updated_at SET NOT NULL;
DROP INDEX ix_feed_entries_consortium_id_occurred_at_id;
CREATE INDEX ix_feed_entries_consortium_id_updated_at_id ON feed_entries (consortium_id, updated_at DESC, id DESC);
DROP INDEX ix_feed_sources_consortium_id_occurred_at_message_id;
CREATE INDEX ix_feed_sources_consortium_id_received_at_message_id ON feed_sources (consortium_id, received_at, message_id);
