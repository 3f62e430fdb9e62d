-- The dispatcher and the retention sweep.

-- Deliveries in flight (leased by a dispatcher), counted per endpoint by every claim for the per-endpoint limit.
CREATE INDEX ix_deliveries_in_flight ON deliveries (endpoint_id) WHERE leased_until IS NOT NULL;
-- The claim: an endpoint's due deliveries, oldest first.
CREATE INDEX ix_deliveries_endpoint_due ON deliveries (endpoint_id, next_attempt_at) WHERE status = 'Pending';
-- The retention sweep: finished deliveries by age.
CREATE INDEX ix_deliveries_finished ON deliveries (created_at) WHERE status <> 'Pending';
