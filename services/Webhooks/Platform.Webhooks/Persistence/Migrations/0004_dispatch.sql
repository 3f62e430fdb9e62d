-- The dispatcher and the retention sweep.

-- Deliveries in flight (leased by a dispatcher), counted per endpoint by every claim for the per-endpoint limit.
CREATE INDEX ix_deliveries_in_flight ON deliveries (endpoint_id) WHERE leased_until IS NOT NULL;
-- The retention sweep: finished deliveries by age.
CREATE INDEX ix_deliveries_finished ON deliveries (created_at) WHERE status <> 'Pending';
