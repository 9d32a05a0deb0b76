-- Safe on the open internet (issue 12): staff sign-in is throttled per
-- (client address, username) and per username, counted before the password is
-- checked; sessions end after a time without use as well as at their end.

-- One row per throttle key: a keyed hash of "address + username" or of
-- "username" alone (never the address or the username in plain text).
-- `failures` counts attempts in a row that did not sign in (each counted
-- before its password was checked); `blocked_until` is when the next attempt
-- may be checked.
CREATE TABLE staff_sign_in_throttle (
    key_hash       TEXT    PRIMARY KEY,
    failures       BIGINT  NOT NULL DEFAULT 0,
    blocked_until  BIGINT  NOT NULL DEFAULT 0,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX staff_sign_in_throttle_by_age ON staff_sign_in_throttle (updated_at);

-- Seconds a session may go unused before it ends (staff: minutes; beneficiaries: days).
ALTER TABLE sessions ADD COLUMN idle_seconds BIGINT NOT NULL DEFAULT 604800;
-- Staff sessions started before these limits had none: they sign in again.
DELETE FROM sessions WHERE account_kind = 'staff';
