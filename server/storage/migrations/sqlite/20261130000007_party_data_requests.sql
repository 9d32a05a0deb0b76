-- Requests about one's data come from every person the association deals with
-- (issue 15, B1): a beneficiary sends theirs from "my data"; a supporter, member
-- or volunteer asks by phone, email, letter or in person, and the privacy
-- officer records it (how it came, and who recorded it). Each request names
-- exactly one person, in the register that holds them. An access request asks
-- for a copy of everything held. Columns are replaced (add, copy, drop,
-- rename) because neither engine alters a NOT NULL or CHECK the same way.
DROP INDEX data_requests_by_beneficiary;
ALTER TABLE data_requests ADD COLUMN about_beneficiary BIGINT REFERENCES beneficiary_accounts (id);
UPDATE data_requests SET about_beneficiary = beneficiary_id;
ALTER TABLE data_requests DROP COLUMN beneficiary_id;
ALTER TABLE data_requests RENAME COLUMN about_beneficiary TO beneficiary_id;
CREATE INDEX data_requests_by_beneficiary ON data_requests (beneficiary_id, created_at);

ALTER TABLE data_requests ADD COLUMN request_kind TEXT NOT NULL DEFAULT 'correction'
    CHECK (request_kind IN ('correction', 'deletion', 'access'));
UPDATE data_requests SET request_kind = kind;
ALTER TABLE data_requests DROP COLUMN kind;
ALTER TABLE data_requests RENAME COLUMN request_kind TO kind;

ALTER TABLE data_requests ADD COLUMN supporter_id BIGINT REFERENCES supporters (id);
ALTER TABLE data_requests ADD COLUMN member_id BIGINT REFERENCES members (id);
ALTER TABLE data_requests ADD COLUMN volunteer_id BIGINT REFERENCES volunteers (id)
    CHECK (CASE WHEN beneficiary_id IS NULL THEN 0 ELSE 1 END + CASE WHEN supporter_id IS NULL THEN 0 ELSE 1 END
           + CASE WHEN member_id IS NULL THEN 0 ELSE 1 END + CASE WHEN volunteer_id IS NULL THEN 0 ELSE 1 END = 1);
ALTER TABLE data_requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'website';
ALTER TABLE data_requests ADD COLUMN recorded_by BIGINT REFERENCES staff_accounts (id);
CREATE INDEX data_requests_by_supporter ON data_requests (supporter_id);
CREATE INDEX data_requests_by_member ON data_requests (member_id);
CREATE INDEX data_requests_by_volunteer ON data_requests (volunteer_id);
