-- Disclosures (B1, B4): personal data goes to a third party only on an order of a
-- judicial or regulatory authority, recorded with the order's reference and date,
-- what was disclosed, and the privacy officer who approved it.
CREATE TABLE disclosures (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    beneficiary_id   BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    authority        TEXT    NOT NULL,
    order_reference  TEXT    NOT NULL CHECK (order_reference <> ''),
    order_date       TEXT    NOT NULL,
    data_disclosed   TEXT    NOT NULL,
    approved_by      BIGINT  NOT NULL REFERENCES staff_accounts (id),
    recorded_at      BIGINT  NOT NULL
);
CREATE INDEX disclosures_by_beneficiary ON disclosures (beneficiary_id, recorded_at);

-- Reports of a privacy violation (B12), from the website (anonymous allowed),
-- social media or email, tracked by the privacy officer to an outcome. A breach
-- that must be notified to the authority carries the moment the association
-- became aware of it, from which the notification deadline runs.
CREATE TABLE privacy_reports (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    channel           TEXT    NOT NULL,
    reporter_name     TEXT    NOT NULL DEFAULT '',
    reporter_contact  TEXT    NOT NULL DEFAULT '',
    description       TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'investigating', 'closed')),
    recorded_by       BIGINT  REFERENCES staff_accounts (id),
    is_breach         INTEGER NOT NULL DEFAULT 0,
    aware_at          BIGINT  NOT NULL,
    notified_at       BIGINT,
    outcome           TEXT,
    handled_by        BIGINT  REFERENCES staff_accounts (id),
    closed_at         BIGINT,
    created_at        BIGINT  NOT NULL
);
CREATE INDEX privacy_reports_by_status ON privacy_reports (status, created_at);
