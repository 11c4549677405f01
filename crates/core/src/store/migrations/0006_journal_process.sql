-- Which process wrote an intent, beyond its pid: a pid is reused (after a reboot, or once
-- the counter wraps), so liveness is the pid *and* the boot and start time it had.
ALTER TABLE journal ADD COLUMN process TEXT;
