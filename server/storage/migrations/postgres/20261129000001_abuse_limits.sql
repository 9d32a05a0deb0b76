-- Abuse limits (issue 12).

-- What an admin must see in the workspace (e.g. the hourly SMS budget used up),
-- at most one of a kind an hour.
CREATE TABLE system_alerts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX system_alerts_by_kind ON system_alerts (kind, created_at);

-- The SMS budget counts the SMS queued in the last hour.
CREATE INDEX outbox_messages_by_channel_time ON outbox_messages (channel, created_at);

-- Submissions of each beneficiary account per day and kind (support request,
-- question, complaint), counted up atomically against the daily cap. Only
-- today's and yesterday's rows are kept.
CREATE TABLE daily_submissions (
    beneficiary_id  BIGINT  NOT NULL,
    kind            TEXT    NOT NULL,
    day             BIGINT  NOT NULL,
    count           BIGINT  NOT NULL,
    PRIMARY KEY (beneficiary_id, kind, day)
);
