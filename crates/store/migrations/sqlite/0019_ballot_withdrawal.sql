-- Organisers may withdraw a ballot before it opens (取り下げ): it stays on
-- record with who withdrew it, when and why, and never takes an electorate.
-- The triggers make both rules hold whatever the code does: only a ballot
-- without an electorate is withdrawn, and a withdrawal is final.
ALTER TABLE ballots ADD COLUMN withdrawn_at TEXT;
ALTER TABLE ballots ADD COLUMN withdrawn_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE ballots ADD COLUMN withdrawal_reason TEXT
    CHECK (withdrawal_reason IS NULL OR length(withdrawal_reason) BETWEEN 1 AND 1000);

CREATE TRIGGER ballots_withdraw_before_opening BEFORE UPDATE OF withdrawn_at ON ballots
WHEN NEW.withdrawn_at IS NOT NULL AND (OLD.electorate_taken_at IS NOT NULL OR NEW.withdrawal_reason IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'only a ballot that has not opened is withdrawn, with a reason');
END;
CREATE TRIGGER ballots_withdrawal_final BEFORE UPDATE ON ballots
WHEN OLD.withdrawn_at IS NOT NULL AND (
    NEW.withdrawn_at IS NOT OLD.withdrawn_at OR NEW.withdrawal_reason IS NOT OLD.withdrawal_reason
    OR NEW.electorate_taken_at IS NOT NULL OR NEW.finalised_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'a withdrawn ballot is final');
END;
CREATE TRIGGER ballots_withdrawn_on_insert BEFORE INSERT ON ballots
WHEN NEW.withdrawn_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a ballot is withdrawn only after it is created');
END;
