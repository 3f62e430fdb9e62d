-- Read models kept from membership's events, to decide who hears what: a consortium's news goes to its current
-- members; placement.flagged only to (and may be subscribed to only by) colleges.

-- (consortium, organization) → status, ordered by membership's per-membership version (0: by the producer's time).
CREATE TABLE members (
    consortium_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    version bigint NOT NULL,
    status_changed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_members PRIMARY KEY (consortium_id, organization_id)
);

-- Name and kind (null while unknown); updated_at orders profile announcements, a membership event only fills gaps.
CREATE TABLE organizations (
    id uuid NOT NULL,
    name character varying(300) NOT NULL,
    kind character varying(50),
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY (id)
);
