-- The request report (issue 16): every column its counts read, in one narrow
-- index, so each of its grouped queries reads the index alone instead of the
-- wide request rows. Kind, channel and status first: the report counts by those
-- three in the index's own order (SQLite then counts without sorting); a period
-- is a filter on the same scan.
CREATE INDEX support_requests_report
    ON support_requests (support_kind_id, channel, status, submitted_at, is_open, decision_due_at, decided_at);

-- Engine-specific: the queue search's index.
-- The queue's search reads the search key and the request's id: with the id in
-- the index, PostgreSQL answers it from the index alone.
DROP INDEX support_requests_by_search_key;
CREATE INDEX support_requests_by_search_key ON support_requests (search_key) INCLUDE (id);
-- End of the engine-specific block.
