-- Satisfaction surveys (A8, A16, A17, C1–C3). A survey's questions are edited
-- as a draft and frozen into a numbered version when published; responses keep
-- the version they answered.
CREATE TABLE surveys (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_ar         TEXT    NOT NULL,
    title_en         TEXT    NOT NULL,
    audience         TEXT    NOT NULL CHECK (audience IN ('service', 'inquiry', 'manual', 'internal')),
    -- Internal surveys (A16): the team (a staff role) being evaluated by the others.
    evaluated_team   TEXT,
    -- Anonymous: a response keeps no link to its invitation, hence to the person.
    anonymous        BIGINT  NOT NULL DEFAULT 1,
    -- In use: invitations go out (only one automatic survey per audience).
    active           BIGINT  NOT NULL DEFAULT 0,
    draft_questions  TEXT    NOT NULL DEFAULT '[]',
    created_by       BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at       BIGINT  NOT NULL
);

CREATE TABLE survey_versions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id     BIGINT  NOT NULL REFERENCES surveys (id),
    number        BIGINT  NOT NULL,
    questions     TEXT    NOT NULL,
    published_by  BIGINT  NOT NULL REFERENCES staff_accounts (id),
    published_at  BIGINT  NOT NULL,
    UNIQUE (survey_id, number)
);

-- One invitation, one response. Only a hash of the token is kept: the link in
-- the message is the only copy. `used` has no time on purpose: a time of use
-- would pair the invitation with its anonymous response.
CREATE TABLE survey_invitations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id       BIGINT  NOT NULL REFERENCES surveys (id),
    token_hash      TEXT    NOT NULL UNIQUE,
    beneficiary_id  BIGINT  REFERENCES beneficiary_accounts (id),
    request_id      BIGINT  REFERENCES support_requests (id),
    inquiry_id      BIGINT  REFERENCES inquiries (id),
    -- What the response is split by on the dashboard (C3), copied to it.
    channel         TEXT,
    service_kind    TEXT,
    staff_id        BIGINT  REFERENCES staff_accounts (id),
    team            TEXT,
    sent_month      TEXT    NOT NULL,
    expires_at      BIGINT  NOT NULL,
    used            BIGINT  NOT NULL DEFAULT 0,
    -- Sent in a message (counts toward the response rate), or opened by the
    -- beneficiary from the request's tracking page.
    by_message      BIGINT  NOT NULL DEFAULT 1,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX survey_invitations_by_request ON survey_invitations (request_id);
CREATE INDEX survey_invitations_by_month ON survey_invitations (sent_month);

-- A response holds the month it was given in, never a finer time, and links
-- to its invitation only when the survey is not anonymous.
CREATE TABLE survey_responses (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id      BIGINT  NOT NULL REFERENCES surveys (id),
    version_id     BIGINT  NOT NULL REFERENCES survey_versions (id),
    invitation_id  BIGINT  REFERENCES survey_invitations (id),
    month          TEXT    NOT NULL,
    channel        TEXT,
    service_kind   TEXT,
    staff_id       BIGINT  REFERENCES staff_accounts (id),
    team           TEXT,
    by_message     BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX survey_responses_by_month ON survey_responses (month);

CREATE TABLE survey_answers (
    response_id   BIGINT  NOT NULL REFERENCES survey_responses (id),
    question_key  TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    score         BIGINT,
    choices       TEXT,
    text_answer   TEXT,
    PRIMARY KEY (response_id, question_key)
);

-- Internal surveys: who took part (one response each per version), kept apart
-- from the anonymous responses.
CREATE TABLE survey_participation (
    survey_id   BIGINT  NOT NULL REFERENCES surveys (id),
    version_id  BIGINT  NOT NULL REFERENCES survey_versions (id),
    staff_id    BIGINT  NOT NULL REFERENCES staff_accounts (id),
    PRIMARY KEY (version_id, staff_id)
);

-- Suggestions from beneficiaries, visitors and staff (A17).
CREATE TABLE suggestions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body            TEXT    NOT NULL,
    source          TEXT    NOT NULL CHECK (source IN ('beneficiary', 'visitor', 'staff')),
    beneficiary_id  BIGINT  REFERENCES beneficiary_accounts (id),
    staff_id        BIGINT  REFERENCES staff_accounts (id),
    created_at      BIGINT  NOT NULL
);

-- Improvement actions (A17): from a suggestion, a low score or staff's own
-- observation; an owner, a due date and a status.
CREATE TABLE improvement_actions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title          TEXT    NOT NULL,
    details        TEXT    NOT NULL DEFAULT '',
    suggestion_id  BIGINT  REFERENCES suggestions (id),
    response_id    BIGINT  REFERENCES survey_responses (id),
    owner_id       BIGINT  NOT NULL REFERENCES staff_accounts (id),
    due_on         TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
    outcome        TEXT    NOT NULL DEFAULT '',
    created_by     BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX improvement_actions_by_status ON improvement_actions (status, due_on);
