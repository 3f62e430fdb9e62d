-- API clients may carry an expiry. Membership now writes its own platform.partner_api_keys row in the transaction
-- that issues or revokes a key (before, only the broker round trip did): fill it for the keys issued until now.
ALTER TABLE api_clients ADD COLUMN expires_at timestamp with time zone;

INSERT INTO platform.partner_api_keys (api_client_id, organization_id, name, key_hash, scopes, issued_at, revoked_at, expires_at)
SELECT id, organization_id, name, key_hash, scopes, issued_at, revoked_at, expires_at FROM api_clients
ON CONFLICT (api_client_id) DO UPDATE
   SET organization_id = excluded.organization_id,
       name = excluded.name,
       key_hash = excluded.key_hash,
       scopes = excluded.scopes,
       issued_at = excluded.issued_at,
       revoked_at = coalesce(partner_api_keys.revoked_at, excluded.revoked_at);
