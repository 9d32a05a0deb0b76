-- The staff workspace (issue 4): staff accounts with passwords and a second
-- factor, their acceptance of the privacy policy (B2), the audit log of what
-- staff did and read, and the records of each step a request goes through
-- (A10–A14).

-- A staff member (منسوبو الجمعية). The username is stored trimmed and in lower
-- case; the password only as an argon2id PHC string; the TOTP secret (base32)
-- only for roles that need a second factor.
CREATE TABLE staff_accounts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE,
    display_name        TEXT    NOT NULL,
    role                TEXT    NOT NULL,
    password_hash       TEXT    NOT NULL,
    totp_secret         TEXT,
    -- The last 30-second TOTP step accepted: a code is never accepted twice.
    totp_last_step      BIGINT,
    active              BIGINT  NOT NULL DEFAULT 1,
    failed_sign_ins     BIGINT  NOT NULL DEFAULT 0,
    last_failed_at      BIGINT,
    created_at          BIGINT  NOT NULL
);

-- Each account accepts the privacy policy, per version, before it sees personal data (B2).
CREATE TABLE staff_policy_acceptances (
    staff_id        BIGINT  NOT NULL REFERENCES staff_accounts (id),
    policy_version  TEXT    NOT NULL,
    accepted_at     BIGINT  NOT NULL,
    PRIMARY KEY (staff_id, policy_version)
);

-- Who did or read what, about whom. Append-only: nothing updates or deletes rows.
CREATE TABLE audit_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id        BIGINT  NOT NULL REFERENCES staff_accounts (id),
    action          TEXT    NOT NULL,
    beneficiary_id  BIGINT,
    request_id      BIGINT,
    reason          TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL
);
CREATE INDEX audit_log_by_staff ON audit_log (staff_id, id);
CREATE INDEX audit_log_by_beneficiary ON audit_log (beneficiary_id, id);

-- What staff add to a request as it moves.
ALTER TABLE support_requests ADD COLUMN assignee_id BIGINT REFERENCES staff_accounts (id);
ALTER TABLE support_requests ADD COLUMN file_number TEXT;
ALTER TABLE support_requests ADD COLUMN registered_at BIGINT;
ALTER TABLE support_requests ADD COLUMN decided_at BIGINT;
ALTER TABLE support_requests ADD COLUMN decided_by BIGINT REFERENCES staff_accounts (id);
ALTER TABLE support_requests ADD COLUMN support_granted TEXT;
ALTER TABLE support_requests ADD COLUMN intake_staff_id BIGINT REFERENCES staff_accounts (id);
CREATE UNIQUE INDEX support_requests_file_number ON support_requests (file_number) WHERE file_number IS NOT NULL;
-- The queue: open requests first, the oldest due first; and the overdue count.
CREATE INDEX support_requests_queue ON support_requests (is_open, decision_due_at);
CREATE INDEX support_requests_by_status ON support_requests (status, decision_due_at);
CREATE INDEX support_requests_by_assignee ON support_requests (assignee_id);

-- Verification (A10): the three checks and its outcome.
CREATE TABLE request_verifications (
    id                             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id                     BIGINT  NOT NULL REFERENCES support_requests (id),
    items_provided                 BIGINT  NOT NULL,
    data_matches_documents         BIGINT  NOT NULL,
    documents_valid_on_submission  BIGINT  NOT NULL,
    note                           TEXT    NOT NULL DEFAULT '',
    -- What the beneficiary was told is missing; empty when verified.
    message                        TEXT    NOT NULL DEFAULT '',
    outcome                        TEXT    NOT NULL CHECK (outcome IN ('verified', 'missing_information')),
    staff_id                       BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at                     BIGINT  NOT NULL
);
CREATE INDEX request_verifications_by_request ON request_verifications (request_id, id);

-- Referral to the social research officer (A11).
CREATE TABLE request_referrals (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id     BIGINT  NOT NULL REFERENCES support_requests (id),
    researcher_id  BIGINT  REFERENCES staff_accounts (id),
    note           TEXT    NOT NULL,
    staff_id       BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at     BIGINT  NOT NULL
);
CREATE INDEX request_referrals_by_request ON request_referrals (request_id, id);

-- The social study (A7, A11).
CREATE TABLE research_studies (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      BIGINT  NOT NULL REFERENCES support_requests (id),
    method          TEXT    NOT NULL,
    findings        TEXT    NOT NULL,
    recommendation  TEXT    NOT NULL,
    -- What the beneficiary was asked for when the study needs more; else empty.
    message         TEXT    NOT NULL DEFAULT '',
    staff_id        BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at      BIGINT  NOT NULL
);
CREATE INDEX research_studies_by_request ON research_studies (request_id, id);

-- The research committee's decisions (A13).
CREATE TABLE committee_decisions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id       BIGINT  NOT NULL REFERENCES support_requests (id),
    decision         TEXT    NOT NULL CHECK (decision IN ('accept', 'reject', 'more_information')),
    reason           TEXT    NOT NULL DEFAULT '',
    support_granted  TEXT,
    staff_id         BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at       BIGINT  NOT NULL
);
CREATE INDEX committee_decisions_by_request ON committee_decisions (request_id, id);

-- Services delivered (A14): what, how much, when, by whom.
CREATE TABLE services_delivered (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    BIGINT  NOT NULL REFERENCES support_requests (id),
    what          TEXT    NOT NULL,
    quantity      BIGINT  NOT NULL,
    unit          TEXT    NOT NULL,
    delivered_on  TEXT    NOT NULL,
    staff_id      BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX services_delivered_by_request ON services_delivered (request_id, id);
