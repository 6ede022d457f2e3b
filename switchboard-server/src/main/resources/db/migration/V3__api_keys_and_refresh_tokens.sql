-- API keys: only a SHA-256 hash of each key is kept (keys are 192-bit random, so a fast hash suffices).
CREATE TABLE api_key (
    id         VARCHAR(32)              PRIMARY KEY,
    name       VARCHAR(200)             NOT NULL,
    role       VARCHAR(16)              NOT NULL,
    key_hash   VARCHAR(64)              NOT NULL UNIQUE,
    prefix     VARCHAR(16)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE
);

-- Refresh tokens of browser sessions, rotated on each use. A family is one sign-in; presenting a
-- used token again revokes the whole family (it was stolen, or replayed).
CREATE TABLE refresh_token (
    token_hash VARCHAR(64)              PRIMARY KEY,
    family     VARCHAR(32)              NOT NULL,
    key_id     VARCHAR(32)              NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    revoked    BOOLEAN                  NOT NULL DEFAULT FALSE
);
CREATE INDEX refresh_token_family ON refresh_token (family);
