-- The consent register (B6, B7, B9): every consent a beneficiary gives or
-- withdraws, append-only; the newest row of a (person, kind, party) is in force.
-- Sharing with a named party (B7) is given in writing: the signed form is a
-- stored document.
CREATE TABLE consents (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    beneficiary_id  BIGINT  NOT NULL REFERENCES beneficiary_accounts (id),
    kind            TEXT    NOT NULL,
    party           TEXT    NOT NULL DEFAULT '',
    granted         INTEGER NOT NULL,
    method          TEXT    NOT NULL,
    document_id     BIGINT  REFERENCES documents (id),
    recorded_by     BIGINT  REFERENCES staff_accounts (id),
    created_at      BIGINT  NOT NULL
);
CREATE INDEX consents_by_person ON consents (beneficiary_id, kind, party, id);

-- A message that needs a consent in force (news and events, B9) names it, so a
-- withdrawal cancels what is still queued in the same transaction.
ALTER TABLE outbox_messages ADD COLUMN consent_beneficiary_id BIGINT;
ALTER TABLE outbox_messages ADD COLUMN consent_kind TEXT;
CREATE INDEX outbox_messages_by_consent ON outbox_messages (consent_beneficiary_id, consent_kind, status);
