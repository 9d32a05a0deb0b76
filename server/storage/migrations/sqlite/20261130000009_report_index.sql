-- The request report (issue 16): every column its counts read, in one narrow
-- index, so each of its grouped queries reads the index alone instead of the
-- wide request rows. Kind, channel and status first: the report counts by those
-- three in the index's own order (SQLite then counts without sorting); a period
-- is a filter on the same scan.
CREATE INDEX support_requests_report
    ON support_requests (support_kind_id, channel, status, submitted_at, is_open, decision_due_at, decided_at);

-- Engine-specific: the queue search's index.
-- SQLite's index on the search key holds the row id already: the queue's
-- search reads the index alone.
-- End of the engine-specific block.
