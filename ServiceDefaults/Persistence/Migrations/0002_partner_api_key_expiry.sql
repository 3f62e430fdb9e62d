-- A partner key may carry an expiry (ApiClientIssued.ExpiresAt, membership's reconcile list); null: no expiry.
ALTER TABLE platform.partner_api_keys ADD COLUMN expires_at timestamp with time zone;
