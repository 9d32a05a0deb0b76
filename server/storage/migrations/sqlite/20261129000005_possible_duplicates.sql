-- A national ID can no longer be squatted: a request for an ID that another
-- account has an open request for is received, and both are flagged to staff
-- as possible duplicates, each pointing at the other. One open request per
-- ID and kind now holds per account (a person's own second one is refused).
ALTER TABLE support_requests ADD COLUMN possible_duplicate_of BIGINT REFERENCES support_requests (id);
DROP INDEX support_requests_one_open_per_kind;
CREATE UNIQUE INDEX support_requests_one_open_per_kind
    ON support_requests (national_id_hash, support_kind_id, beneficiary_id) WHERE is_open = 1;
