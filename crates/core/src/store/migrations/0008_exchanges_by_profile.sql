-- A profile's newest exchange (is its provider reachable?) without scanning its history.
CREATE INDEX exchanges_profile ON exchanges (profile_id, id);
