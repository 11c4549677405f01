-- The process that wrote an intent, so a later run can tell a crashed operation from one
-- still in flight in another process (the app and the CLI share this database).
ALTER TABLE journal ADD COLUMN pid INTEGER;
