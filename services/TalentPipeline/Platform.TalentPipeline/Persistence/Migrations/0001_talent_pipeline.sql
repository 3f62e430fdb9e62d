-- Talent pipeline: member read model, programs, demand and supply, placement history, trainees, funnel aggregates.

CREATE TABLE members (
    consortium_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    name character varying(300) NOT NULL,
    kind character varying(50) NOT NULL,
    status character varying(20) NOT NULL,
    status_changed_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_members PRIMARY KEY (consortium_id, organization_id)
);
CREATE INDEX ix_members_organization_id ON members (organization_id);

CREATE TABLE organizations (
    id uuid NOT NULL,
    name character varying(300) NOT NULL,
    kind character varying(50) NOT NULL,
    region character varying(200) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_organizations PRIMARY KEY (id)
);

CREATE TABLE programs (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    kind character varying(40) NOT NULL,
    title character varying(300) NOT NULL,
    college_ids uuid[] NOT NULL,
    enterprise_ids uuid[] NOT NULL,
    occupation character varying(200),
    seats integer,
    starts_on date,
    ends_on date,
    status character varying(20) NOT NULL,
    paused_by uuid[] NOT NULL,
    resume_to character varying(20),
    agreement_id uuid,
    unveiling_id uuid,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_programs PRIMARY KEY (id)
);
CREATE INDEX ix_programs_consortium_id ON programs (consortium_id);
CREATE UNIQUE INDEX ix_programs_agreement_id ON programs (agreement_id);
CREATE UNIQUE INDEX ix_programs_unveiling_id ON programs (unveiling_id);

CREATE TABLE demands (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    enterprise_id uuid NOT NULL,
    occupation character varying(200) NOT NULL,
    skills text[] NOT NULL,
    headcount integer NOT NULL,
    region character varying(200) NOT NULL,
    needed_by date NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_demands PRIMARY KEY (id)
);
CREATE INDEX ix_demands_consortium_id ON demands (consortium_id);
CREATE INDEX ix_demands_enterprise_id ON demands (enterprise_id);

CREATE TABLE cohorts (
    id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    college_id uuid NOT NULL,
    major character varying(200) NOT NULL,
    occupation character varying(200) NOT NULL,
    graduation_year integer NOT NULL,
    headcount integer NOT NULL,
    region character varying(200),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_cohorts PRIMARY KEY (id)
);
CREATE INDEX ix_cohorts_consortium_id ON cohorts (consortium_id);
CREATE INDEX ix_cohorts_college_id ON cohorts (college_id);

CREATE TABLE placement_events (
    college_id uuid NOT NULL,
    event_id character varying(100) NOT NULL,
    program_id uuid NOT NULL,
    consortium_id uuid NOT NULL,
    trainee_ref character varying(64) NOT NULL,
    type character varying(30) NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    enterprise_id uuid,
    flag character varying(40),
    accepted_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_placement_events PRIMARY KEY (college_id, event_id)
);
CREATE INDEX ix_placement_events_college_id_trainee_ref_occurred_at ON placement_events (college_id, trainee_ref, occurred_at);
CREATE INDEX ix_placement_events_flagged ON placement_events (college_id, flag) WHERE flag IS NOT NULL;

CREATE TABLE trainees (
    college_id uuid NOT NULL,
    trainee_ref character varying(64) NOT NULL,
    consortium_id uuid NOT NULL,
    program_id uuid NOT NULL,
    stage character varying(30) NOT NULL,
    stage_occurred_at timestamp with time zone NOT NULL,
    events integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_trainees PRIMARY KEY (college_id, trainee_ref)
);

CREATE TABLE funnel_counts (
    consortium_id uuid NOT NULL,
    program_id uuid NOT NULL,
    college_id uuid NOT NULL,
    enterprise_id uuid NOT NULL,
    month date NOT NULL,
    stage character varying(30) NOT NULL,
    trainees integer NOT NULL,
    CONSTRAINT pk_funnel_counts PRIMARY KEY (consortium_id, program_id, college_id, enterprise_id, month, stage)
);
CREATE INDEX ix_funnel_counts_program_id ON funnel_counts (program_id);
CREATE INDEX ix_funnel_counts_college_id ON funnel_counts (college_id);
CREATE INDEX ix_funnel_counts_enterprise_id ON funnel_counts (enterprise_id);
