-- Encryption at rest of contact details (B11): mobile numbers and email
-- addresses are stored encrypted; a keyed hash of the number (the same in
-- every table) finds an account, a sign-in code, an inquiry or a message by
-- exact match.
ALTER TABLE beneficiary_accounts ADD COLUMN mobile_hash TEXT;
CREATE UNIQUE INDEX beneficiary_accounts_by_mobile_hash ON beneficiary_accounts (mobile_hash);
ALTER TABLE sign_in_codes ADD COLUMN mobile_hash TEXT;
CREATE INDEX sign_in_codes_by_mobile_hash ON sign_in_codes (mobile_hash, created_at);
ALTER TABLE inquiries ADD COLUMN contact_mobile_hash TEXT;
ALTER TABLE outbox_messages ADD COLUMN recipient_hash TEXT;
CREATE INDEX outbox_messages_by_recipient_hash ON outbox_messages (recipient_hash);
-- Codes live five minutes: those of the moment are simply asked for again.
DELETE FROM sign_in_codes;
