-- The audit log becomes tamper-evident (B11, PDPL): each entry holds its place in
-- the chain, the hash of the entry before it and its own hash over both and its
-- content. The head row is what every append locks, so appends from several app
-- servers form one chain; rows written before this migration are chained by the
-- application at its next start (`audit::seal_unchained`).
ALTER TABLE audit_log ADD COLUMN chain_position BIGINT;
ALTER TABLE audit_log ADD COLUMN previous_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN entry_hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audit_log_chain_position ON audit_log (chain_position);

CREATE TABLE audit_chain_head (
    id             INTEGER PRIMARY KEY,
    last_position  BIGINT  NOT NULL,
    last_hash      TEXT    NOT NULL
);
INSERT INTO audit_chain_head (id, last_position, last_hash) VALUES (1, 0, '');
