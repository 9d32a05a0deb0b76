-- The request report (issue 16): every column its counts read, in one narrow
-- index ordered by submission, so each of its grouped queries reads the index
-- alone (over a period or over everything) instead of the wide request rows.
CREATE INDEX support_requests_report
    ON support_requests (submitted_at, status, channel, support_kind_id, is_open, decision_due_at, decided_at);
