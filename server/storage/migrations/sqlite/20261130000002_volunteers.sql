-- Volunteering (A18's volunteering channel). An application is written when
-- its form is sent, unverified (verified_at NULL, with the hash of its code's
-- challenge); it reaches staff only once the code sent to its mobile is
-- confirmed. The mobile is encrypted (B11) and found by its keyed hash. The
-- consent register holds beneficiaries only, so the volunteer's consent
-- choices (SMS contact, news) are kept on the row with their moment.
CREATE TABLE volunteers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name        TEXT    NOT NULL,
    mobile           TEXT    NOT NULL,
    mobile_hash      TEXT,
    skills           TEXT    NOT NULL DEFAULT '',
    areas            TEXT    NOT NULL DEFAULT '',
    availability     TEXT    NOT NULL,
    sms_consent      BIGINT  NOT NULL DEFAULT 0,
    news_consent     BIGINT  NOT NULL DEFAULT 0,
    language         TEXT    NOT NULL DEFAULT 'ar',
    challenge_hash   TEXT,
    verified_at      BIGINT,
    status           TEXT    NOT NULL DEFAULT 'pending',
    decision_message TEXT,
    decided_by       BIGINT  REFERENCES staff_accounts (id),
    decided_at       BIGINT,
    staff_id         BIGINT  REFERENCES staff_accounts (id),
    created_at       BIGINT  NOT NULL
);
CREATE INDEX volunteers_by_challenge ON volunteers (challenge_hash);
-- One pending (verified) application per mobile.
CREATE UNIQUE INDEX volunteers_one_pending ON volunteers (mobile_hash)
    WHERE status = 'pending' AND verified_at IS NOT NULL;

-- Hours are kept in half hours (0.5 to 24 hours a day and activity).
CREATE TABLE volunteer_hours (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    volunteer_id BIGINT  NOT NULL REFERENCES volunteers (id),
    day          TEXT    NOT NULL,
    half_hours   BIGINT  NOT NULL,
    activity     TEXT    NOT NULL,
    recorded_by  BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX volunteer_hours_by_volunteer ON volunteer_hours (volunteer_id, day);
