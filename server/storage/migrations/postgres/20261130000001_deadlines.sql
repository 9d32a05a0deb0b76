-- Deadlines that keep themselves (issue 14): the work calendar, one clock per
-- promise with its events, the scheduler's jobs, and the notices staff read in
-- the workspace.

-- Public holidays: `days` consecutive days from `first_day` (Gregorian
-- YYYY-MM-DD), whatever weekdays they fall on.
CREATE TABLE holidays (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        TEXT    NOT NULL,
    first_day   TEXT    NOT NULL,
    days        BIGINT  NOT NULL,
    created_by  BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX holidays_one_per_kind_and_day ON holidays (first_day, kind);

-- Working hours, minutes after midnight Saudi time (one row).
CREATE TABLE work_hours (
    id            BIGINT  PRIMARY KEY CHECK (id = 1),
    start_minute  BIGINT  NOT NULL,
    end_minute    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
INSERT INTO work_hours (id, start_minute, end_minute, updated_at) VALUES (1, 480, 960, 0);

-- A rule's settings; a rule without a row has the domain's defaults.
CREATE TABLE clock_rules (
    rule                 TEXT    PRIMARY KEY,
    unit                 TEXT    NOT NULL,
    period               BIGINT  NOT NULL,
    remind_before_hours  BIGINT  NOT NULL,
    max_extension        BIGINT  NOT NULL,
    updated_by           BIGINT  REFERENCES staff_accounts (id),
    updated_at           BIGINT  NOT NULL
);

-- One clock per promise about one item. `due_at`, `remind_at` and
-- `escalate_at` are worked out from the events, the rule and the calendar
-- whenever one of them changes, so the scheduler and "my work" only query.
-- `remind_at`/`escalate_at` are cleared in the same transaction that sends
-- the reminder or escalation: a message goes once.
CREATE TABLE clocks (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule                  TEXT    NOT NULL,
    subject_kind          TEXT    NOT NULL,
    subject_id            BIGINT  NOT NULL,
    phase                 TEXT    NOT NULL,
    started_at            BIGINT  NOT NULL,
    due_at                BIGINT,
    finished_at           BIGINT,
    on_time               BIGINT,
    extended              BIGINT  NOT NULL DEFAULT 0,
    responsible_staff_id  BIGINT  REFERENCES staff_accounts (id),
    remind_at             BIGINT,
    escalate_at           BIGINT,
    reminded_at           BIGINT,
    escalated_at          BIGINT,
    updated_at            BIGINT  NOT NULL
);
CREATE INDEX clocks_by_subject ON clocks (subject_kind, subject_id, rule);
CREATE INDEX clocks_by_due ON clocks (phase, due_at);
CREATE INDEX clocks_by_remind ON clocks (remind_at);
CREATE INDEX clocks_by_escalate ON clocks (escalate_at);
CREATE INDEX clocks_by_finish ON clocks (rule, finished_at);

-- What happened to the item, in order. `amount`: an extension's length in the
-- rule's unit; `due`: a due moment set by hand; `reason`: why it was extended.
CREATE TABLE clock_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clock_id  BIGINT  NOT NULL REFERENCES clocks (id),
    kind      TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    amount    BIGINT,
    due       BIGINT,
    reason    TEXT    NOT NULL DEFAULT '',
    staff_id  BIGINT  REFERENCES staff_accounts (id)
);
CREATE INDEX clock_events_by_clock ON clock_events (clock_id, id);

-- Scheduled work. A server runs a job only while it holds its lease, taken
-- with one conditional UPDATE, so with several app servers each run happens
-- once; a server that dies mid-run loses the lease when it expires.
CREATE TABLE scheduled_jobs (
    name              TEXT    PRIMARY KEY,
    next_run_at       BIGINT  NOT NULL,
    lease_owner       TEXT,
    lease_until       BIGINT,
    last_started_at   BIGINT,
    last_finished_at  BIGINT,
    last_error        TEXT,
    failures          BIGINT  NOT NULL DEFAULT 0,
    runs              BIGINT  NOT NULL DEFAULT 0
);

-- What the workspace shows a member of staff: a reminder, an escalation or
-- the daily digest (with its counts).
CREATE TABLE staff_notices (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id       BIGINT  NOT NULL REFERENCES staff_accounts (id),
    kind           TEXT    NOT NULL,
    clock_id       BIGINT  REFERENCES clocks (id),
    overdue_count  BIGINT,
    today_count    BIGINT,
    week_count     BIGINT,
    created_at     BIGINT  NOT NULL,
    read_at        BIGINT
);
CREATE INDEX staff_notices_by_staff ON staff_notices (staff_id, id);

-- Who a member of staff answers to (escalations go there, else to admins),
-- how they want reminders beyond the workspace, and where (encrypted).
ALTER TABLE staff_accounts ADD COLUMN supervisor_id BIGINT REFERENCES staff_accounts (id);
ALTER TABLE staff_accounts ADD COLUMN reminder_channel TEXT NOT NULL DEFAULT 'workspace';
ALTER TABLE staff_accounts ADD COLUMN contact_mobile TEXT;
ALTER TABLE staff_accounts ADD COLUMN contact_email TEXT;
-- The Saudi day (YYYY-MM-DD) of the last digest: one a day.
ALTER TABLE staff_accounts ADD COLUMN digest_day TEXT;

-- A breach's second promise: the people affected are told.
ALTER TABLE privacy_reports ADD COLUMN affected_informed_at BIGINT;
