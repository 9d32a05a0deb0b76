-- The service desk (issue 4): inquiries from every channel and the public FAQ
-- their good answers grow into (A6, A18), complaints and objections tracked to
-- a resolution with a reason (A2), and the relations officer's reference
-- library of versioned documents (A9).

-- An inquiry, from any channel (A18). The asker may be a known beneficiary or
-- anyone who called, wrote or came in; the contact is how the answer reaches them.
CREATE TABLE inquiries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    beneficiary_id  BIGINT  REFERENCES beneficiary_accounts (id),
    asker_name      TEXT    NOT NULL,
    -- E.164.
    contact_mobile  TEXT,
    contact_email   TEXT,
    channel         TEXT    NOT NULL,
    question        TEXT    NOT NULL,
    language        TEXT    NOT NULL DEFAULT 'ar',
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
    answer          TEXT,
    answered_by     BIGINT  REFERENCES staff_accounts (id),
    answered_at     BIGINT,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX inquiries_inbox ON inquiries (status, created_at);
CREATE INDEX inquiries_by_beneficiary ON inquiries (beneficiary_id, created_at);

-- The public FAQ. An entry made from an inquiry keeps its id, but its wording is
-- the staff member's, with anything personal removed; an inquiry is published once.
CREATE TABLE faq_entries (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question      TEXT    NOT NULL,
    answer        TEXT    NOT NULL,
    language      TEXT    NOT NULL,
    inquiry_id    BIGINT  REFERENCES inquiries (id),
    published_by  BIGINT  NOT NULL REFERENCES staff_accounts (id),
    published_at  BIGINT  NOT NULL,
    active        BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX faq_entries_by_language ON faq_entries (language, active, published_at);
CREATE UNIQUE INDEX faq_entries_one_per_inquiry ON faq_entries (inquiry_id) WHERE inquiry_id IS NOT NULL;

-- A complaint or objection (A2), about a request of the beneficiary's or in general.
CREATE TABLE complaints (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    beneficiary_id     BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    request_id         BIGINT  REFERENCES support_requests (id),
    body               TEXT    NOT NULL,
    channel            TEXT    NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_review', 'resolved')),
    reviewer_id        BIGINT  REFERENCES staff_accounts (id),
    review_started_at  BIGINT,
    -- The reason the beneficiary reads.
    resolution         TEXT,
    resolved_by        BIGINT  REFERENCES staff_accounts (id),
    resolved_at        BIGINT,
    created_at         BIGINT  NOT NULL
);
CREATE INDEX complaints_by_status ON complaints (status, created_at);
CREATE INDEX complaints_by_beneficiary ON complaints (beneficiary_id, created_at);

-- The reference library (A9): each document has versions; the newest is current
-- and every one is kept. The bytes live in the document store under storage_key.
CREATE TABLE library_documents (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category    TEXT    NOT NULL CHECK (category IN ('bylaws', 'research_guide', 'support_policy_guide',
                    'support_request_form', 'charity_policies', 'official_regulations')),
    title       TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE library_versions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id    BIGINT  NOT NULL REFERENCES library_documents (id),
    version_label  TEXT    NOT NULL,
    storage_key    TEXT    NOT NULL UNIQUE,
    file_name      TEXT    NOT NULL,
    content_type   TEXT    NOT NULL,
    size_bytes     BIGINT  NOT NULL,
    change_note    TEXT    NOT NULL DEFAULT '',
    uploaded_by    BIGINT  NOT NULL REFERENCES staff_accounts (id),
    created_at     BIGINT  NOT NULL,
    UNIQUE (document_id, version_label)
);
CREATE INDEX library_versions_by_document ON library_versions (document_id, created_at);
