-- The data subject's requests (PDPL): a correction or the deletion of their
-- data, each answered by the privacy officer by its deadline with an outcome
-- (for a deletion: what was removed, and what was kept and why).
CREATE TABLE data_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    beneficiary_id  BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('correction', 'deletion')),
    details         TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused')),
    due_at          BIGINT  NOT NULL,
    outcome         TEXT,
    handled_by      BIGINT  REFERENCES staff_accounts (id),
    handled_at      BIGINT,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX data_requests_by_status ON data_requests (status, due_at);
CREATE INDEX data_requests_by_beneficiary ON data_requests (beneficiary_id, created_at);
