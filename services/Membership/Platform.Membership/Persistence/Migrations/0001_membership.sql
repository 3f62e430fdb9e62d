-- Membership: consortia, organizations, memberships with their audit trail, council sessions, charters, people, API clients.

CREATE TABLE api_clients (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    scopes text[] NOT NULL,
    key_hash character varying(64) NOT NULL,
    key_prefix character varying(16) NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT pk_api_clients PRIMARY KEY (id)
);

CREATE TABLE charters (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    version integer NOT NULL,
    text text,
    link character varying(2000),
    approved_on date NOT NULL,
    approved_by_session integer,
    CONSTRAINT pk_charters PRIMARY KEY (id)
);

CREATE TABLE consortia (
    id uuid NOT NULL,
    name character varying(300) NOT NULL,
    kind character varying(50) NOT NULL,
    region character varying(200) NOT NULL,
    sectors text[] NOT NULL,
    lead_organization_ids uuid[] NOT NULL,
    established_on date,
    time_zone character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_consortia PRIMARY KEY (id)
);

CREATE TABLE council_sessions (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    number integer NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    designations jsonb NOT NULL,
    CONSTRAINT pk_council_sessions PRIMARY KEY (id)
);

CREATE TABLE memberships (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    council_role character varying(30),
    history jsonb NOT NULL,
    CONSTRAINT pk_memberships PRIMARY KEY (id)
);

CREATE TABLE organizations (
    id uuid NOT NULL,
    name character varying(300) NOT NULL,
    kind character varying(50) NOT NULL,
    region character varying(200) NOT NULL,
    unified_social_credit_code character varying(18),
    is_illustrative boolean NOT NULL,
    registered_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY (id)
);

CREATE TABLE people (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    mentor_for_consortium_id uuid,
    role character varying(30) NOT NULL,
    name character varying(200) NOT NULL,
    title character varying(200),
    email character varying(320),
    added_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_people PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_api_clients_key_hash ON api_clients (key_hash);

CREATE INDEX ix_api_clients_organization_id ON api_clients (organization_id);

CREATE UNIQUE INDEX ix_charters_consortium_id_version ON charters (consortium_id, version);

CREATE UNIQUE INDEX ix_council_sessions_consortium_id_number ON council_sessions (consortium_id, number);

CREATE INDEX ix_memberships_consortium_id_status ON memberships (consortium_id, status);

CREATE UNIQUE INDEX ux_memberships_current ON memberships (consortium_id, organization_id) WHERE status IN ('Applied', 'Active', 'Suspended');

CREATE INDEX ix_organizations_name ON organizations (name);

CREATE UNIQUE INDEX ix_organizations_unified_social_credit_code ON organizations (unified_social_credit_code);

CREATE INDEX ix_people_mentor_for_consortium_id ON people (mentor_for_consortium_id);

CREATE INDEX ix_people_organization_id ON people (organization_id);
