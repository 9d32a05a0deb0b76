-- The beneficiary journey (issue 3): accounts, passwordless sign-in, sessions,
-- the notification outbox, drafts, requests, their timeline, documents and messages.

-- A beneficiary is known by a Saudi mobile number (E.164).
CREATE TABLE beneficiary_accounts (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mobile           TEXT    NOT NULL UNIQUE,
    language         TEXT    NOT NULL DEFAULT 'ar',
    created_at       BIGINT  NOT NULL,
    last_sign_in_at  BIGINT
);

-- One-time sign-in codes. Only hashes are kept: of the code (salted) and of the
-- challenge token the browser holds, so a leaked table signs nobody in.
CREATE TABLE sign_in_codes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mobile          TEXT    NOT NULL,
    challenge_hash  TEXT    NOT NULL UNIQUE,
    code_salt       TEXT    NOT NULL,
    code_hash       TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    consumed_at     BIGINT
);
CREATE INDEX sign_in_codes_by_mobile ON sign_in_codes (mobile, created_at);

-- Server-side sessions; the cookie holds a random token, the table its hash.
CREATE TABLE sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    TEXT    NOT NULL UNIQUE,
    account_kind  TEXT    NOT NULL,
    account_id    BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_kind, account_id);

-- Every message to a person is written here in the same transaction as the event
-- that caused it, and delivered by the background worker with retries.
CREATE TABLE outbox_messages (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel          TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL DEFAULT '',
    body             TEXT    NOT NULL,
    purpose          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending',
    attempts         BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,
    locked_until     BIGINT  NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    created_at       BIGINT  NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);

-- The wizard's server-side draft: one per beneficiary, resumable on any device.
CREATE TABLE request_drafts (
    beneficiary_id  BIGINT  PRIMARY KEY REFERENCES beneficiary_accounts (id),
    data            TEXT    NOT NULL,
    errors          TEXT    NOT NULL DEFAULT '[]',
    updated_at      BIGINT  NOT NULL
);

CREATE TABLE support_requests (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference            TEXT    NOT NULL UNIQUE,
    beneficiary_id       BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    support_kind_id      BIGINT  NOT NULL REFERENCES support_kinds (id),
    status               TEXT    NOT NULL,
    is_open              BIGINT  NOT NULL DEFAULT 1,
    channel              TEXT    NOT NULL DEFAULT 'website',
    full_name            TEXT    NOT NULL,
    national_id          TEXT    NOT NULL,
    birth_date           TEXT    NOT NULL,
    mobile               TEXT    NOT NULL,
    email                TEXT,
    city                 TEXT    NOT NULL,
    district             TEXT    NOT NULL,
    household_members    BIGINT  NOT NULL,
    monthly_income       BIGINT  NOT NULL,
    housing              TEXT    NOT NULL,
    description          TEXT    NOT NULL,
    signature            TEXT    NOT NULL,
    declaration_version  TEXT    NOT NULL,
    declared_at          BIGINT  NOT NULL,
    consent_sms          BIGINT  NOT NULL,
    consent_email        BIGINT  NOT NULL,
    language             TEXT    NOT NULL DEFAULT 'ar',
    submitted_at         BIGINT  NOT NULL,
    decision_due_at      BIGINT  NOT NULL,
    updated_at           BIGINT  NOT NULL
);
-- At most one open request of a kind per national ID (A12), enforced by the engine
-- so two simultaneous submissions cannot both pass.
CREATE UNIQUE INDEX support_requests_one_open_per_kind
    ON support_requests (national_id, support_kind_id) WHERE is_open = 1;
CREATE INDEX support_requests_by_beneficiary ON support_requests (beneficiary_id, submitted_at);

-- The request's timeline: every state it has been in, with the reason if any.
CREATE TABLE request_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  BIGINT  NOT NULL REFERENCES support_requests (id),
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    actor       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX request_events_by_request ON request_events (request_id, id);

-- Documents staff ask the beneficiary for.
CREATE TABLE document_requests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    BIGINT  NOT NULL REFERENCES support_requests (id),
    description   TEXT    NOT NULL,
    requested_by  TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    fulfilled_at  BIGINT
);
CREATE INDEX document_requests_by_request ON document_requests (request_id);

-- Uploaded files: the bytes live in the document store, here only what and whose.
-- Before submission a document belongs to the beneficiary's draft (request_id NULL).
CREATE TABLE documents (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    beneficiary_id       BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    request_id           BIGINT  REFERENCES support_requests (id),
    document_request_id  BIGINT  REFERENCES document_requests (id),
    storage_key          TEXT    NOT NULL UNIQUE,
    file_name            TEXT    NOT NULL,
    content_type         TEXT    NOT NULL,
    size_bytes           BIGINT  NOT NULL,
    created_at           BIGINT  NOT NULL
);
CREATE INDEX documents_by_request ON documents (request_id);
CREATE INDEX documents_by_beneficiary ON documents (beneficiary_id);

-- Messages between the beneficiary and staff about a request.
CREATE TABLE request_messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  BIGINT  NOT NULL REFERENCES support_requests (id),
    author      TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX request_messages_by_request ON request_messages (request_id, id);
