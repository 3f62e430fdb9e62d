-- An outbox row that failed Messaging:Outbox:ParkAfterAttempts times is parked: the delivery worker skips it until
-- an operator replays it (UPDATE platform.outbox_messages SET parked_at = NULL, attempts = 0, next_attempt_at = NULL
-- WHERE message_id = '…') or deletes it. The outbox health check counts parked rows.
ALTER TABLE platform.outbox_messages ADD COLUMN parked_at timestamp with time zone;
