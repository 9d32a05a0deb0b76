-- The audit chain becomes an HMAC keyed outside the database (issue 12). Entries
-- chained before keep their SHA-256 hashes; `hmac_from` is the first position
-- chained with the audit key, vouched for by `hmac_from_mac` (an HMAC with that
-- key), set once when the database first meets its audit key. `key_check`
-- recognises the key, so a server started with another one refuses to start.
ALTER TABLE audit_chain_head ADD COLUMN hmac_from BIGINT;
ALTER TABLE audit_chain_head ADD COLUMN hmac_from_mac TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_chain_head ADD COLUMN key_check TEXT NOT NULL DEFAULT '';
