-- Profiles: the provider settings as JSON (never a secret), with the name unique.
CREATE TABLE profiles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    config      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- One row per client known on a provider. Metadata is stored without secrets.
CREATE TABLE registrations (
    id                        INTEGER PRIMARY KEY,
    profile_id                TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    client_id                 TEXT NOT NULL,
    client_name               TEXT,
    registration_client_uri   TEXT,
    metadata_sent             TEXT,
    metadata_returned         TEXT NOT NULL,
    client_id_issued_at       INTEGER,
    client_secret_expires_at  INTEGER,
    etag                      TEXT,
    status                    TEXT NOT NULL,
    credentials               TEXT NOT NULL,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    last_synced_at            INTEGER,
    UNIQUE (profile_id, client_id)
);
CREATE INDEX registrations_expiry ON registrations (client_secret_expires_at)
    WHERE client_secret_expires_at IS NOT NULL AND client_secret_expires_at > 0;

-- Intents written before a request is sent, closed after its result is stored: an open
-- or uncertain row after a crash is work to finish or to flag for recovery.
CREATE TABLE journal (
    id          INTEGER PRIMARY KEY,
    profile_id  TEXT NOT NULL,
    client_id   TEXT,
    operation   TEXT NOT NULL,
    state       TEXT NOT NULL,
    detail      TEXT,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX journal_unfinished ON journal (state) WHERE state IN ('open', 'uncertain');

-- Every HTTP exchange with a provider, redacted before it is written.
CREATE TABLE exchanges (
    id                INTEGER PRIMARY KEY,
    at                INTEGER NOT NULL,
    profile_id        TEXT,
    client_id         TEXT,
    operation         TEXT NOT NULL,
    method            TEXT NOT NULL,
    url               TEXT NOT NULL,
    status            INTEGER,
    duration_ms       INTEGER NOT NULL,
    request_headers   TEXT NOT NULL,
    request_body      TEXT,
    response_headers  TEXT,
    response_body     TEXT,
    error             TEXT
);
CREATE INDEX exchanges_client ON exchanges (profile_id, client_id, id);
