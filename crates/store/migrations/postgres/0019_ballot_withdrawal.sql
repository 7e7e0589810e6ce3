-- Organisers may withdraw a ballot before it opens (取り下げ): it stays on
-- record with who withdrew it, when and why, and never takes an electorate.
-- The trigger makes both rules hold whatever the code does: only a ballot
-- without an electorate is withdrawn, and a withdrawal is final.
ALTER TABLE ballots ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE ballots ADD COLUMN withdrawn_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE ballots ADD COLUMN withdrawal_reason TEXT
    CHECK (withdrawal_reason IS NULL OR char_length(withdrawal_reason) BETWEEN 1 AND 1000);

CREATE FUNCTION ballots_withdrawal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.withdrawn_at IS NOT NULL THEN
            RAISE EXCEPTION 'a ballot is withdrawn only after it is created';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.withdrawn_at IS NOT NULL AND (
        NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at
        OR NEW.withdrawal_reason IS DISTINCT FROM OLD.withdrawal_reason
        OR NEW.electorate_taken_at IS NOT NULL OR NEW.finalised_at IS NOT NULL) THEN
        RAISE EXCEPTION 'a withdrawn ballot is final';
    END IF;
    IF OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL
        AND (OLD.electorate_taken_at IS NOT NULL OR NEW.withdrawal_reason IS NULL) THEN
        RAISE EXCEPTION 'only a ballot that has not opened is withdrawn, with a reason';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ballots_withdrawal_guard BEFORE INSERT OR UPDATE ON ballots
    FOR EACH ROW EXECUTE FUNCTION ballots_withdrawal_guard();
