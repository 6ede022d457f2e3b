-- One row holding the catalog revision. Every write transaction that changes something
-- observable locks this row, so revisions are gap-free and strictly increasing even with
-- several instances writing to one PostgreSQL.
CREATE TABLE sb_state (
    id       INT    PRIMARY KEY,
    revision BIGINT NOT NULL
);
INSERT INTO sb_state (id, revision) VALUES (1, 0);

-- Last-known-good model list of each provider, so a restart serves it before any upstream answers.
CREATE TABLE provider_snapshot (
    provider_id          VARCHAR(63)              PRIMARY KEY,
    status               VARCHAR(16)              NOT NULL,
    models               TEXT                     NOT NULL,
    pending_models       TEXT,
    fetched_at           TIMESTAMP WITH TIME ZONE,
    last_success_at      TIMESTAMP WITH TIME ZONE,
    last_error           VARCHAR(2000),
    consecutive_failures INT                      NOT NULL DEFAULT 0
);

-- The change feed: one row per revision, written in the same transaction as the change.
CREATE TABLE event_log (
    revision    BIGINT                   PRIMARY KEY,
    type        VARCHAR(64)              NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    data        TEXT                     NOT NULL
);
CREATE INDEX event_log_occurred_at ON event_log (occurred_at);
