-- Encryption at rest (B11). The keys live outside the database; it keeps a
-- check value per key so a server with the wrong key file refuses to start.
CREATE TABLE data_keys (
    id           BIGINT  PRIMARY KEY,
    check_value  TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);

-- The national ID is stored encrypted; its keyed hash finds a person's open
-- request of a kind by exact match and keeps the one-open-request rule (A12).
ALTER TABLE support_requests ADD COLUMN national_id_hash TEXT;
DROP INDEX support_requests_one_open_per_kind;
CREATE UNIQUE INDEX support_requests_one_open_per_kind
    ON support_requests (national_id_hash, support_kind_id) WHERE is_open = 1;
