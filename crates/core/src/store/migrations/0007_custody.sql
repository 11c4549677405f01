-- Keys in a profile's custody: the public half and the facts about it. The private half is
-- only ever in the keychain (entry `key/<profile>/<kid>`).
CREATE TABLE keys (
    profile_id             TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    kid                    TEXT NOT NULL,
    kind                   TEXT NOT NULL,
    alg                    TEXT NOT NULL,
    public_jwk             TEXT NOT NULL,
    -- The client it belongs to, or NULL for the profile's own (mTLS to the registration
    -- endpoint, signed registration requests, a local directory's key).
    client_id              TEXT,
    label                  TEXT,
    -- The certificate chain for this key (PEM, public), and when its leaf expires.
    certificate_pem        TEXT,
    certificate_not_after  INTEGER,
    created_at             INTEGER NOT NULL,
    -- From this time on the key is no longer published nor used (rotation's overlap ends).
    retire_at              INTEGER,
    PRIMARY KEY (profile_id, kid)
);
CREATE INDEX keys_by_client ON keys (profile_id, client_id);

-- Software statements (RFC 7591 §2.3) a profile keeps: signed by a directory, not secret.
CREATE TABLE software_statements (
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    jwt          TEXT NOT NULL,
    source       TEXT NOT NULL,
    expires_at   INTEGER,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (profile_id, label)
);
