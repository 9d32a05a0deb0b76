-- Everyone the association deals with (issue 15): supporters (donors) with
-- their contributions, and the cooperative's members with their status's
-- history. Contact and identity fields are encrypted like a beneficiary's,
-- each with its keyed lookup hash.

CREATE TABLE supporters (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    mobile        TEXT,
    mobile_hash   TEXT,
    email         TEXT,
    -- Never named in a report or list outside the register (the donor asked).
    anonymous     BIGINT  NOT NULL DEFAULT 0,
    -- Agreed to receive the association's news (B9).
    consent_news  BIGINT  NOT NULL DEFAULT 0,
    created_by    BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX supporters_by_mobile ON supporters (mobile_hash);

-- Amounts in halalas (1/100 riyal); none for a contribution in kind without a value.
CREATE TABLE contributions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    supporter_id    BIGINT  NOT NULL REFERENCES supporters (id),
    kind            TEXT    NOT NULL,
    amount_halalas  BIGINT,
    received_on     TEXT    NOT NULL,
    purpose         TEXT    NOT NULL DEFAULT '',
    channel         TEXT    NOT NULL,
    receipt_number  TEXT    NOT NULL DEFAULT '',
    recorded_by     BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at      BIGINT  NOT NULL
);
CREATE INDEX contributions_by_supporter ON contributions (supporter_id, received_on);
CREATE INDEX contributions_by_day ON contributions (received_on);

CREATE TABLE members (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    membership_number  TEXT    NOT NULL UNIQUE,
    full_name          TEXT    NOT NULL,
    national_id        TEXT,
    national_id_hash   TEXT,
    mobile             TEXT,
    mobile_hash        TEXT,
    status             TEXT    NOT NULL,
    joined_on          TEXT    NOT NULL,
    left_on            TEXT,
    created_by         BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at         BIGINT  NOT NULL
);
CREATE INDEX members_by_national_id ON members (national_id_hash);

-- Every status a member has had, with who changed it and why.
CREATE TABLE member_status_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id   BIGINT  NOT NULL REFERENCES members (id),
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    changed_by  BIGINT  NOT NULL REFERENCES staff_accounts (id),
    changed_at  BIGINT  NOT NULL
);
CREATE INDEX member_status_history_by_member ON member_status_history (member_id, id);
