-- The test app's own table: something to page over and to create with idempotent POSTs.
CREATE TABLE test_items (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_test_items PRIMARY KEY (id)
);
CREATE INDEX ix_test_items_created_at_id ON test_items (created_at DESC, id DESC);
