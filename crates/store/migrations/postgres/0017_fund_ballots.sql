-- Claims on a solidarity fund decided by a secret ballot of the members.
-- A fund decides by its committee (decided_by_ballot = false) or by
-- ballot; a claim filed while it decides by ballot is linked to the ballot
-- opened with it, once (the unique index), and the claimant is left out of
-- that ballot's electorate (see the ballot store).
ALTER TABLE funds ADD COLUMN decided_by_ballot BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE funds ADD COLUMN ballot_days BIGINT NOT NULL DEFAULT 7 CHECK (ballot_days BETWEEN 1 AND 30);
ALTER TABLE funds ADD COLUMN ballot_quorum_percent BIGINT NOT NULL DEFAULT 0 CHECK (ballot_quorum_percent BETWEEN 0 AND 100);
ALTER TABLE fund_claims ADD COLUMN ballot_id BIGINT REFERENCES ballots (id);
CREATE UNIQUE INDEX fund_claims_ballot ON fund_claims (ballot_id) WHERE ballot_id IS NOT NULL;

-- The link is made once, when the claim is filed, and never changed.
CREATE FUNCTION fund_claims_ballot_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.ballot_id IS NOT NULL AND OLD.ballot_id IS DISTINCT FROM NEW.ballot_id THEN
        RAISE EXCEPTION 'a claim''s ballot cannot change';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER fund_claims_ballot_fixed BEFORE UPDATE OF ballot_id ON fund_claims
FOR EACH ROW EXECUTE FUNCTION fund_claims_ballot_fixed();
