-- Every change that shows in a consortium's member list (a membership added or changed, a member organization's
-- name, kind or region) bumps consortia.member_list_version, in the same transaction. The member list answers
-- from a cache keyed by this version and serves it as the ETag, so a cached page is never stale and no code path
-- can forget to invalidate it.

ALTER TABLE consortia ADD COLUMN member_list_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION bump_member_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'memberships' THEN
        UPDATE consortia SET member_list_version = member_list_version + 1
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.consortium_id ELSE NEW.consortium_id END;
    ELSE
        UPDATE consortia SET member_list_version = member_list_version + 1
        WHERE id IN (SELECT consortium_id FROM memberships WHERE organization_id = NEW.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER memberships_bump_member_list_version
    AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION bump_member_list_version();

CREATE TRIGGER organizations_bump_member_list_version
    AFTER UPDATE OF name, kind, region ON organizations
    FOR EACH ROW EXECUTE FUNCTION bump_member_list_version();
