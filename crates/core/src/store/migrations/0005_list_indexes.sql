-- The client list's indexes cover what a list and a short search read besides the order
-- (client_id for the LIKE of a one- or two-character search, status for its filter), so a
-- search walks an index in list order and reads a row only for the page it shows. The
-- second one does the same for lists across all profiles, which otherwise sorted every row.
DROP INDEX registrations_profile_name;
CREATE INDEX registrations_list ON registrations (profile_id, client_name COLLATE NOCASE, id, client_id, status);
CREATE INDEX registrations_list_all ON registrations (client_name COLLATE NOCASE, id, client_id, status);
