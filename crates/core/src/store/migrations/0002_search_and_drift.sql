-- A marker set when the last read found drift, for the client list.
ALTER TABLE registrations ADD COLUMN has_drift INTEGER NOT NULL DEFAULT 0;

CREATE INDEX registrations_profile_name ON registrations (profile_id, client_name COLLATE NOCASE, id);
CREATE INDEX registrations_status ON registrations (status);

-- Substring search (trigram) over what people search a client by. Kept in step with
-- registrations by triggers; the lists are flattened from the stored metadata.
CREATE VIRTUAL TABLE registrations_fts USING fts5(
    client_id, client_name, redirect_uris, contacts,
    tokenize = 'trigram'
);

CREATE TRIGGER registrations_fts_insert AFTER INSERT ON registrations BEGIN
    INSERT INTO registrations_fts (rowid, client_id, client_name, redirect_uris, contacts)
    VALUES (
        new.id, new.client_id, coalesce(new.client_name, ''),
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.metadata_returned, '$.redirect_uris')), ''),
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.metadata_returned, '$.contacts')), '')
    );
END;

CREATE TRIGGER registrations_fts_update AFTER UPDATE OF client_id, client_name, metadata_returned ON registrations BEGIN
    DELETE FROM registrations_fts WHERE rowid = old.id;
    INSERT INTO registrations_fts (rowid, client_id, client_name, redirect_uris, contacts)
    VALUES (
        new.id, new.client_id, coalesce(new.client_name, ''),
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.metadata_returned, '$.redirect_uris')), ''),
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.metadata_returned, '$.contacts')), '')
    );
END;

CREATE TRIGGER registrations_fts_delete AFTER DELETE ON registrations BEGIN
    DELETE FROM registrations_fts WHERE rowid = old.id;
END;

INSERT INTO registrations_fts (rowid, client_id, client_name, redirect_uris, contacts)
SELECT id, client_id, coalesce(client_name, ''),
       coalesce((SELECT group_concat(value, ' ') FROM json_each(metadata_returned, '$.redirect_uris')), ''),
       coalesce((SELECT group_concat(value, ' ') FROM json_each(metadata_returned, '$.contacts')), '')
FROM registrations;
