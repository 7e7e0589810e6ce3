-- A claimant may withdraw a pending claim that the committee decides
-- (取り下げ). It is then settled unpaid: kept as status 'rejected' with
-- `withdrawn` set, because SQLite cannot widen the status CHECK without
-- rebuilding a table that decisions, payouts and ballots point at. The
-- trigger keeps the flag honest: only a pending claim without a ballot is
-- withdrawn, it is settled at the same time, and a withdrawal is final.
ALTER TABLE fund_claims ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1));

CREATE TRIGGER fund_claims_withdrawal BEFORE UPDATE ON fund_claims
WHEN (OLD.withdrawn = 0 AND NEW.withdrawn = 1
        AND (OLD.status <> 'pending' OR NEW.status <> 'rejected' OR OLD.ballot_id IS NOT NULL))
  OR (OLD.withdrawn = 1 AND (NEW.withdrawn <> 1 OR NEW.status IS NOT OLD.status))
BEGIN
    SELECT RAISE(ABORT, 'only a pending claim without a ballot is withdrawn, and for good');
END;
CREATE TRIGGER fund_claims_withdrawn_on_insert BEFORE INSERT ON fund_claims
WHEN NEW.withdrawn <> 0
BEGIN
    SELECT RAISE(ABORT, 'a claim is withdrawn only after it is filed');
END;
