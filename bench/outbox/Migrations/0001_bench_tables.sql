-- The producer's state change and the consumer's effect, one row per event each.
CREATE TABLE bench_items (
    id uuid NOT NULL,
    sequence integer NOT NULL,
    CONSTRAINT pk_bench_items PRIMARY KEY (id)
);

CREATE TABLE bench_effects (
    id bigint GENERATED ALWAYS AS IDENTITY,
    item_id uuid NOT NULL,
    sequence integer NOT NULL,
    CONSTRAINT pk_bench_effects PRIMARY KEY (id)
);
