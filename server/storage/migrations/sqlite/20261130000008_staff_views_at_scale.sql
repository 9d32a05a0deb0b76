-- The queue's search at scale (issue 16): a request's name and reference in the
-- form search compares (`awn_domain::search::search_key`: folded hamza, digits in
-- ASCII, lower case), so the engine filters with LIKE instead of Awn decrypting
-- and matching every row. The national ID stays encrypted: it is found by its
-- keyed hash, whole. Filled on submission; older rows are keyed at start-up.
ALTER TABLE support_requests ADD COLUMN search_key TEXT NOT NULL DEFAULT '';

-- The queue's order as an index (with the status, so counting the overdue reads
-- the index alone), so a page of it reads twenty rows, not all of
-- them; the search key alone, so a search reads the narrow index, not the rows;
-- and the national ID's hash for a search by a whole ID (open or closed).
DROP INDEX support_requests_queue;
CREATE INDEX support_requests_queue ON support_requests (is_open DESC, decision_due_at, id, status);
CREATE INDEX support_requests_by_search_key ON support_requests (search_key);
CREATE INDEX support_requests_by_national_id_hash ON support_requests (national_id_hash);
