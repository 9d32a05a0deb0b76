-- The queue's search at scale (issue 16): a request's name and reference in the
-- form search compares (`awn_domain::search::search_key`: folded hamza, digits in
-- ASCII, lower case), so the engine filters with LIKE instead of Awn decrypting
-- and matching every row. The national ID stays encrypted: it is found by its
-- keyed hash, whole. Filled on submission; older rows are keyed at start-up.
ALTER TABLE support_requests ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
