-- Households as lists of people, and each person known once (issue 15).

-- The members of a request's household besides the applicant. The birth date
-- and national ID are encrypted like the applicant's; the ID's keyed hash and
-- the normalised name's key (awn_domain::duplicates::name_key) find a person
-- again across requests.
CREATE TABLE household_members (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id        BIGINT  NOT NULL REFERENCES support_requests (id),
    beneficiary_id    BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    position          BIGINT  NOT NULL,
    full_name         TEXT    NOT NULL,
    name_key          TEXT    NOT NULL DEFAULT '',
    relation          TEXT    NOT NULL,
    birth_date        TEXT    NOT NULL,
    national_id       TEXT,
    national_id_hash  TEXT,
    has_income        BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX household_members_by_request ON household_members (request_id, position);
CREATE INDEX household_members_by_national_id ON household_members (national_id_hash);
CREATE INDEX household_members_by_name_key ON household_members (name_key);

-- The applicant's normalised name key, to find candidates by name.
ALTER TABLE support_requests ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX support_requests_by_name_key ON support_requests (name_key);

-- Two requests that may be about the same person: one row per pair (the later
-- request first), with why, and what staff made of it. Confirmed pairs are
-- linked files; nothing is merged.
CREATE TABLE possible_duplicates (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id        BIGINT  NOT NULL REFERENCES support_requests (id),
    other_request_id  BIGINT  NOT NULL REFERENCES support_requests (id),
    reason            TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'open',
    found_at          BIGINT  NOT NULL,
    decided_by        BIGINT  REFERENCES staff_accounts (id),
    decided_at        BIGINT,
    decision_reason   TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX possible_duplicates_one_per_pair ON possible_duplicates (request_id, other_request_id);
CREATE INDEX possible_duplicates_by_other ON possible_duplicates (other_request_id);
