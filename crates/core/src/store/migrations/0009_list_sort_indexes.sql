-- The client list sorted by another column than the name: one index per order within a
-- profile, walked forwards or backwards, so a sorted page reads only its own rows as the
-- name order does (0005). Each covers what a walk checks besides the order (client_id and
-- client_name for a short search's LIKE, status for its filter). The expiry's expression
-- puts "never" (0) and unknown after every real time; search.rs's EXPIRY_ORDER is the same
-- expression, word for word, as SQLite needs to match it.
CREATE INDEX registrations_by_client_id ON registrations (profile_id, client_id, id, client_name, status);
CREATE INDEX registrations_by_status ON registrations (profile_id, status, client_name COLLATE NOCASE, id, client_id);
CREATE INDEX registrations_by_expiry ON registrations (
    profile_id, coalesce(nullif(client_secret_expires_at, 0), 9223372036854775807), id,
    client_secret_expires_at, client_id, client_name, status
);
CREATE INDEX registrations_by_synced ON registrations (profile_id, last_synced_at, id, client_id, client_name, status);
