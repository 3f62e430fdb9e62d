-- Webhooks: the partner systems' endpoints and their signing secrets (deliveries and their log come next).

CREATE TABLE endpoints (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    url character varying(2000) NOT NULL,
    description character varying(500),
    event_types text[] NOT NULL,
    status character varying(20) NOT NULL,
    disabled_reason character varying(500),
    secret character varying(100) NOT NULL,
    previous_secret character varying(100),
    previous_secret_expires_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_endpoints PRIMARY KEY (id)
);
CREATE INDEX ix_endpoints_organization_id ON endpoints (organization_id);
