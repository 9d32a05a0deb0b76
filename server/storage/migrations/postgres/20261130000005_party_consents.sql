-- One consent register for everyone the privacy policy protects (B9): a row
-- belongs to exactly one beneficiary, supporter or volunteer. The register
-- becomes the source of truth for supporters' and volunteers' news consents,
-- which were columns on their rows until now: those choices are copied in as
-- register rows (with who recorded them and when) and the columns dropped.
-- Volunteers' consent to be contacted by SMS about their volunteering stays
-- on their application: it is not a news consent.
-- Engine-specific: the holder's columns.
-- (No table refers to `consents` by a foreign key; queued messages name a
-- consent by holder and kind, not by row.)
ALTER TABLE consents ALTER COLUMN beneficiary_id DROP NOT NULL;
ALTER TABLE consents ADD COLUMN supporter_id BIGINT REFERENCES supporters (id);
ALTER TABLE consents ADD COLUMN volunteer_id BIGINT REFERENCES volunteers (id);
ALTER TABLE consents ADD CONSTRAINT consents_one_holder
    CHECK (num_nonnulls(beneficiary_id, supporter_id, volunteer_id) = 1);
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
