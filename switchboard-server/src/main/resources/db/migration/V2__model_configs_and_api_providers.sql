-- Current version of every model configuration. body holds the editable fields as JSON.
CREATE TABLE model_config (
    alias         VARCHAR(63)              PRIMARY KEY,
    version       BIGINT                   NOT NULL,
    body          TEXT                     NOT NULL,
    target_status VARCHAR(16)              NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by    VARCHAR(200)             NOT NULL
);

-- Every version ever written, deletions included (body is null for those), for history and rollback.
CREATE TABLE model_config_history (
    alias      VARCHAR(63)              NOT NULL,
    version    BIGINT                   NOT NULL,
    change     VARCHAR(16)              NOT NULL,
    body       TEXT,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(200)             NOT NULL,
    revision   BIGINT                   NOT NULL,
    PRIMARY KEY (alias, version)
);

-- Providers created through the API (config-file providers live in the config file only).
-- The credential is encrypted (AES-GCM with the master key); settings holds the other fields as JSON.
CREATE TABLE api_provider (
    id                 VARCHAR(63)              PRIMARY KEY,
    kind               VARCHAR(16)              NOT NULL,
    base_url           VARCHAR(2000),
    api_key_ciphertext TEXT,
    settings           TEXT                     NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
