-- Tables the platform keeps in every service's database: outbox, inbox, partner API keys, idempotent requests.
CREATE SCHEMA IF NOT EXISTS platform;

CREATE TABLE platform.outbox_messages (
    sequence bigint GENERATED ALWAYS AS IDENTITY,
    message_id uuid NOT NULL,
    message_type character varying(500) NOT NULL,
    body jsonb NOT NULL,
    trace_parent character varying(55),
    trace_state character varying(512),
    created_at timestamp with time zone NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone,
    last_error text,
    CONSTRAINT pk_outbox_messages PRIMARY KEY (sequence)
);
CREATE UNIQUE INDEX ix_outbox_messages_message_id ON platform.outbox_messages (message_id);

CREATE TABLE platform.inbox_records (
    message_id uuid NOT NULL,
    consumer character varying(200) NOT NULL,
    processed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_inbox_records PRIMARY KEY (message_id, consumer)
);
CREATE INDEX ix_inbox_records_processed_at ON platform.inbox_records (processed_at);

CREATE TABLE platform.partner_api_keys (
    api_client_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    key_hash character varying(64) NOT NULL,
    scopes text[] NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT pk_partner_api_keys PRIMARY KEY (api_client_id)
);
CREATE UNIQUE INDEX ix_partner_api_keys_key_hash ON platform.partner_api_keys (key_hash);

CREATE TABLE platform.idempotent_requests (
    caller character varying(100) NOT NULL,
    key character varying(200) NOT NULL,
    request_hash character varying(64) NOT NULL,
    status_code integer,
    response_body bytea,
    response_content_type character varying(200),
    response_location character varying(2000),
    created_at timestamp with time zone NOT NULL,
    locked_until timestamp with time zone NOT NULL,
    CONSTRAINT pk_idempotent_requests PRIMARY KEY (caller, key)
);
CREATE INDEX ix_idempotent_requests_created_at ON platform.idempotent_requests (created_at);
