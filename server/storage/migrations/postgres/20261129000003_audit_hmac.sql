-- The audit chain becomes an HMAC keyed outside the database (issue 12). Entries
-- chained before keep their SHA-256 hashes; `hmac_from` is the first position
-- chained with the audit key, vouched for by `hmac_from_mac` (an HMAC with that
-- key), set once when the database first meets its audit key. `key_check`
-- recognises the key, so a server started with another one refuses to start.
ALTER TABLE audit_chain_head ADD COLUMN hmac_from BIGINT;
ALTER TABLE audit_chain_head ADD COLUMN hmac_from_mac TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_chain_head ADD COLUMN key_check TEXT NOT NULL DEFAULT '';

-- The log is append-only in the database too: no UPDATE, DELETE or TRUNCATE.
-- The one update allowed is the chaining, once, of a row written before the
-- chain existed (its content unchanged), which the first upgrade does.
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.chain_position IS NULL
       AND NEW.id = OLD.id AND NEW.staff_id = OLD.staff_id AND NEW.action = OLD.action
       AND NEW.beneficiary_id IS NOT DISTINCT FROM OLD.beneficiary_id
       AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
       AND NEW.reason = OLD.reason AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
