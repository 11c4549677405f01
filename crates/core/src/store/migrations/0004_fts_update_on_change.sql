-- Re-index a registration for search only when something indexed changed. A refresh that
-- finds the client as it was (most of a bulk refresh) rewrites metadata_returned with the
-- same text; re-indexing it anyway deleted and re-inserted its trigrams and flushed FTS
-- segments on every commit, the largest single cost of a refresh in the database.
DROP TRIGGER registrations_fts_update;

CREATE TRIGGER registrations_fts_update AFTER UPDATE OF client_id, client_name, metadata_returned ON registrations
WHEN old.client_id IS NOT new.client_id
  OR old.client_name IS NOT new.client_name
  OR old.metadata_returned IS NOT new.metadata_returned
BEGIN
    DELETE FROM registrations_fts WHERE rowid = old.id;
    INSERT INTO registrations_fts (rowid, client_id, client_name, redirect_uris, contacts)
    VALUES (
        new.id, new.client_id, coalesce(new.client_name, ''),
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.metadata_returned, '$.redirect_uris')), ''),
        coalesce((SELECT group_concat(value, ' ') FROM json_each(new.metadata_returned, '$.contacts')), '')
    );
END;
