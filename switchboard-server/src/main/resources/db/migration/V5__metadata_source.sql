-- Last-known-good catalog of each [[metadata_sources]] entry (normalised facts as JSON), so a restart with a
-- failing source still enriches models. Same types as provider_snapshot, which both H2 and PostgreSQL accept.
CREATE TABLE metadata_source (
    source_id            VARCHAR(63)              PRIMARY KEY,
    status               VARCHAR(16)              NOT NULL,
    catalog              TEXT                     NOT NULL,
    model_count          INT                      NOT NULL DEFAULT 0,
    fetched_at           TIMESTAMP WITH TIME ZONE,
    last_success_at      TIMESTAMP WITH TIME ZONE,
    last_error           VARCHAR(2000),
    consecutive_failures INT                      NOT NULL DEFAULT 0
);
