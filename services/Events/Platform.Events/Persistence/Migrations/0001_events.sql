-- Events: consortium events with registrations, their outcomes, the member directory (read model of membership's
-- events) and the activity feed with the messages it was built from.

CREATE TABLE consortium_events (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    title character varying(300) NOT NULL,
    venue character varying(300) NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    time_zone character varying(64) NOT NULL,
    capacity integer NOT NULL,
    organizer_ids uuid[] NOT NULL,
    status character varying(30) NOT NULL,
    registered_count integer NOT NULL,
    waitlisted_count integer NOT NULL,
    checked_in_count integer NOT NULL,
    arrivals integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    status_changed_at timestamp with time zone,
    cancellation_reason character varying(1000),
    CONSTRAINT pk_consortium_events PRIMARY KEY (id)
);

CREATE TABLE feed_entries (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    kind character varying(50) NOT NULL,
    title character varying(1000) NOT NULL,
    content text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    link character varying(300),
    tally jsonb,
    CONSTRAINT pk_feed_entries PRIMARY KEY (id)
);

CREATE TABLE feed_sources (
    message_id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    message_type character varying(100) NOT NULL,
    body jsonb NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_feed_sources PRIMARY KEY (message_id)
);

CREATE TABLE known_consortia (
    id uuid NOT NULL,
    name character varying(300) NOT NULL,
    time_zone character varying(64) NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_known_consortia PRIMARY KEY (id)
);

CREATE TABLE known_memberships (
    consortium_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    membership_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_known_memberships PRIMARY KEY (consortium_id, organization_id)
);

CREATE TABLE known_organizations (
    id uuid NOT NULL,
    name character varying(300) NOT NULL,
    kind character varying(50) NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_known_organizations PRIMARY KEY (id)
);

CREATE TABLE agreements (
    id uuid NOT NULL,
    event_id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    title character varying(300) NOT NULL,
    occupation character varying(200),
    signed_on date NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    parties jsonb NOT NULL,
    CONSTRAINT pk_agreements PRIMARY KEY (id),
    CONSTRAINT fk_agreements_consortium_events_event_id FOREIGN KEY (event_id) REFERENCES consortium_events (id) ON DELETE CASCADE
);

CREATE TABLE competition_results (
    id uuid NOT NULL,
    event_id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    published_at timestamp with time zone NOT NULL,
    entrants jsonb NOT NULL,
    CONSTRAINT pk_competition_results PRIMARY KEY (id),
    CONSTRAINT fk_competition_results_consortium_events_event_id FOREIGN KEY (event_id) REFERENCES consortium_events (id) ON DELETE CASCADE
);

CREATE TABLE council_designation_recordings (
    id uuid NOT NULL,
    event_id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    session_number integer NOT NULL,
    state character varying(20) NOT NULL,
    refusals jsonb NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone,
    designations jsonb NOT NULL,
    CONSTRAINT pk_council_designation_recordings PRIMARY KEY (id),
    CONSTRAINT fk_council_designation_recordings_consortium_events_event_id FOREIGN KEY (event_id) REFERENCES consortium_events (id) ON DELETE CASCADE
);

CREATE TABLE registrations (
    id uuid NOT NULL,
    event_id uuid NOT NULL,
    arrival integer NOT NULL,
    person_name character varying(200) NOT NULL,
    person_title character varying(200),
    organization_id uuid NOT NULL,
    email character varying(320) NOT NULL,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    seated_at timestamp with time zone,
    checked_in_at timestamp with time zone,
    cancelled_at timestamp with time zone,
    CONSTRAINT pk_registrations PRIMARY KEY (id),
    CONSTRAINT fk_registrations_consortium_events_event_id FOREIGN KEY (event_id) REFERENCES consortium_events (id) ON DELETE CASCADE
);

CREATE TABLE unveilings (
    id uuid NOT NULL,
    event_id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    name character varying(300) NOT NULL,
    host_organization_id uuid NOT NULL,
    host_organization_name character varying(300) NOT NULL,
    kind character varying(30) NOT NULL,
    unveiled_on date NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_unveilings PRIMARY KEY (id),
    CONSTRAINT fk_unveilings_consortium_events_event_id FOREIGN KEY (event_id) REFERENCES consortium_events (id) ON DELETE CASCADE
);

CREATE INDEX ix_agreements_consortium_id_id ON agreements (consortium_id, id);

CREATE INDEX ix_agreements_event_id ON agreements (event_id);

CREATE UNIQUE INDEX ix_competition_results_event_id ON competition_results (event_id);

CREATE INDEX ix_consortium_events_consortium_id_starts_at ON consortium_events (consortium_id, starts_at);

CREATE INDEX ix_council_designation_recordings_event_id ON council_designation_recordings (event_id);

CREATE INDEX ix_feed_entries_consortium_id_occurred_at_id ON feed_entries (consortium_id, occurred_at DESC, id DESC);

CREATE INDEX ix_feed_sources_consortium_id_occurred_at_message_id ON feed_sources (consortium_id, occurred_at, message_id);

CREATE UNIQUE INDEX ix_registrations_event_id_arrival ON registrations (event_id, arrival);

CREATE UNIQUE INDEX ux_registrations_live_email ON registrations (event_id, email) WHERE status <> 'Cancelled';

CREATE INDEX ix_unveilings_event_id ON unveilings (event_id);
