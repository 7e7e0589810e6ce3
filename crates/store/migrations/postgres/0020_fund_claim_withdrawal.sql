-- A claimant may withdraw a pending claim that the committee decides
-- (取り下げ). It is then settled unpaid: kept as status 'rejected' with
-- `withdrawn` set (as on SQLite, which cannot widen the status CHECK
-- without rebuilding a table others point at). The trigger keeps the flag
-- honest: only a pending claim without a ballot is withdrawn, it is
-- settled at the same time, and a withdrawal is final.
ALTER TABLE fund_claims ADD COLUMN withdrawn BOOLEAN NOT NULL DEFAULT FALSE;

CREATE FUNCTION fund_claims_withdrawal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.withdrawn THEN
            RAISE EXCEPTION 'a claim is withdrawn only after it is filed';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT OLD.withdrawn AND NEW.withdrawn
        AND (OLD.status <> 'pending' OR NEW.status <> 'rejected' OR OLD.ballot_id IS NOT NULL) THEN
        RAISE EXCEPTION 'only a pending claim without a ballot is withdrawn, and for good';
    END IF;
    IF OLD.withdrawn AND (NOT NEW.withdrawn OR NEW.status IS DISTINCT FROM OLD.status) THEN
        RAISE EXCEPTION 'only a pending claim without a ballot is withdrawn, and for good';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER fund_claims_withdrawal BEFORE INSERT OR UPDATE ON fund_claims
    FOR EACH ROW EXECUTE FUNCTION fund_claims_withdrawal();
