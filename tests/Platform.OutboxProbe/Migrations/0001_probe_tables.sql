-- The probe's own state (what a request handler changes) and what its consumers did (one row per consumer run).
CREATE TABLE orders (
    id uuid NOT NULL,
    number integer NOT NULL,
    CONSTRAINT pk_orders PRIMARY KEY (id)
);

CREATE TABLE consumed_messages (
    id bigint GENERATED ALWAYS AS IDENTITY,
    consumer character varying(100) NOT NULL,
    message_id uuid NOT NULL,
    number integer NOT NULL,
    kind character varying(20) NOT NULL,
    trace_id character varying(32),
    CONSTRAINT pk_consumed_messages PRIMARY KEY (id)
);
