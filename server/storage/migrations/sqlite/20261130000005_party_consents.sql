-- One consent register for everyone the privacy policy protects (B9): a row
-- belongs to exactly one beneficiary, supporter or volunteer. The register
-- becomes the source of truth for supporters' and volunteers' news consents,
-- which were columns on their rows until now: those choices are copied in as
-- register rows (with who recorded them and when) and the columns dropped.
-- Volunteers' consent to be contacted by SMS about their volunteering stays
-- on their application: it is not a news consent.
-- Engine-specific: the holder's columns.
-- SQLite cannot relax NOT NULL in place: the table is rebuilt (no table refers
-- to `consents` by a foreign key; queued messages name a consent by holder and
-- kind, not by row, so they are untouched). The ids are kept.
CREATE TABLE consents_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    beneficiary_id  BIGINT  REFERENCES beneficiary_accounts (id),
    supporter_id    BIGINT  REFERENCES supporters (id),
    volunteer_id    BIGINT  REFERENCES volunteers (id),
    kind            TEXT    NOT NULL,
    party           TEXT    NOT NULL DEFAULT '',
    granted         INTEGER NOT NULL,
    method          TEXT    NOT NULL,
    document_id     BIGINT  REFERENCES documents (id),
    recorded_by     BIGINT  REFERENCES staff_accounts (id),
    created_at      BIGINT  NOT NULL,
    CHECK ((beneficiary_id IS NOT NULL) + (supporter_id IS NOT NULL) + (volunteer_id IS NOT NULL) = 1)
);
INSERT INTO consents_new (id, beneficiary_id, kind, party, granted, method, document_id, recorded_by, created_at)
    SELECT id, beneficiary_id, kind, party, granted, method, document_id, recorded_by, created_at FROM consents;
DROP TABLE consents;
ALTER TABLE consents_new RENAME TO consents;
CREATE INDEX consents_by_person ON consents (beneficiary_id, kind, party, id);
-- End of the engine-specific block.
CREATE INDEX consents_by_supporter ON consents (supporter_id, kind, party, id);
CREATE INDEX consents_by_volunteer ON consents (volunteer_id, kind, party, id);

-- The choices already saved: a supporter's news consent, given to staff, by
-- SMS and (when they gave one) by email; a volunteer's, given on the form.
INSERT INTO consents (supporter_id, kind, party, granted, method, recorded_by, created_at)
    SELECT id, 'news_sms', '', 1, 'staff', created_by, created_at FROM supporters WHERE consent_news <> 0;
INSERT INTO consents (supporter_id, kind, party, granted, method, recorded_by, created_at)
    SELECT id, 'news_email', '', 1, 'staff', created_by, created_at FROM supporters
    WHERE consent_news <> 0 AND email IS NOT NULL AND email <> '';
INSERT INTO consents (volunteer_id, kind, party, granted, method, recorded_by, created_at)
    SELECT id, 'news_sms', '', 1, 'online', NULL, created_at FROM volunteers WHERE news_consent <> 0;
ALTER TABLE supporters DROP COLUMN consent_news;
ALTER TABLE volunteers DROP COLUMN news_consent;

-- A queued message that needs a supporter's or a volunteer's consent names it
-- too, so that withdrawing it cancels the message.
ALTER TABLE outbox_messages ADD COLUMN consent_supporter_id BIGINT;
ALTER TABLE outbox_messages ADD COLUMN consent_volunteer_id BIGINT;
CREATE INDEX outbox_messages_by_supporter_consent ON outbox_messages (consent_supporter_id, consent_kind, status);
CREATE INDEX outbox_messages_by_volunteer_consent ON outbox_messages (consent_volunteer_id, consent_kind, status);
