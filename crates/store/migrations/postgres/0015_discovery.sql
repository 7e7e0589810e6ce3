-- Discovery: the site operator role, the directory of real organisations
-- (unclaimed listings) and the claims that turn a listing into a community.

-- People who run this server. Granted and revoked with
-- `tsunagari admin grant-operator EMAIL` / `revoke-operator EMAIL`; the role
-- ends with the account.
CREATE TABLE site_operators (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    granted_at TIMESTAMPTZ NOT NULL
);

-- Organisations that exist outside tsunagari, shipped with the release
-- (source 'shipped', data/organisations.toml) or imported by the operator
-- (source 'operator'). As with public schemes, loading the shipped file
-- never touches operator rows, and a listing is withdrawn rather than
-- deleted, so its claims and the link to its community stay.
CREATE TABLE organisation_listings (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE CHECK (char_length(slug) BETWEEN 3 AND 80),
    kind           TEXT NOT NULL CHECK (kind IN ('professional', 'corporate_alumni', 'regional_alumni', 'npo', 'worker_coop', 'union')),
    name_ja        TEXT NOT NULL CHECK (char_length(name_ja) BETWEEN 1 AND 80),
    name_en        TEXT NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 80),
    description_ja TEXT NOT NULL CHECK (char_length(description_ja) BETWEEN 1 AND 300),
    description_en TEXT NOT NULL CHECK (char_length(description_en) BETWEEN 1 AND 300),
    prefecture     TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    website        TEXT CHECK (website IS NULL OR website LIKE 'https://%'),
    company        TEXT CHECK (company IS NULL OR char_length(company) BETWEEN 1 AND 80),
    -- Tags, one per line, in the file's order.
    tags_text      TEXT NOT NULL DEFAULT '',
    -- Order within the file it came from.
    position       BIGINT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('shipped', 'operator')),
    withdrawn      BOOLEAN NOT NULL DEFAULT FALSE,
    -- The community an approved claim made of it; one listing per community.
    community_id   BIGINT UNIQUE REFERENCES communities (id) ON DELETE SET NULL,
    claimed_at     TIMESTAMPTZ,
    -- Bumped first by every claim and decision on this listing, so they run
    -- one at a time per listing on both databases.
    claim_version  BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CHECK (kind <> 'regional_alumni' OR prefecture IS NOT NULL),
    CHECK (kind <> 'corporate_alumni' OR company IS NOT NULL)
);
CREATE INDEX organisation_listings_kind ON organisation_listings (kind, position);
CREATE INDEX organisation_listings_prefecture ON organisation_listings (prefecture);

-- A claimed listing stays its community's: the link may only be cleared
-- (by ON DELETE SET NULL), never pointed at another community.
CREATE FUNCTION organisation_listings_claimed_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.community_id IS NOT NULL AND NEW.community_id IS NOT NULL
       AND NEW.community_id <> OLD.community_id THEN
        RAISE EXCEPTION 'a claimed listing cannot be claimed again';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_listings_claimed_once BEFORE UPDATE OF community_id ON organisation_listings
    FOR EACH ROW EXECUTE FUNCTION organisation_listings_claimed_once();

-- Requests to claim a listing. The message is the claimant's own words
-- about who they are, so it goes with their account (ON DELETE CASCADE):
-- a claim is a request, not a ledger, and what an approval did (the
-- community and its ownership) lives on without it. The deciding operator
-- is kept while their account exists (ON DELETE SET NULL).
CREATE TABLE organisation_claims (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing_id  BIGINT NOT NULL REFERENCES organisation_listings (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message     TEXT NOT NULL CHECK (char_length(message) BETWEEN 1 AND 1000),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined', 'superseded')),
    reason      TEXT CHECK (reason IS NULL OR char_length(reason) BETWEEN 1 AND 500),
    created_at  TIMESTAMPTZ NOT NULL,
    decided_at  TIMESTAMPTZ,
    decided_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (status <> 'declined' OR reason IS NOT NULL)
);
-- One pending claim per person per listing; one approval per listing.
CREATE UNIQUE INDEX organisation_claims_one_pending ON organisation_claims (listing_id, user_id) WHERE status = 'pending';
CREATE UNIQUE INDEX organisation_claims_one_approval ON organisation_claims (listing_id) WHERE status = 'approved';
CREATE INDEX organisation_claims_user ON organisation_claims (user_id);
CREATE INDEX organisation_claims_queue ON organisation_claims (created_at) WHERE status = 'pending';

-- A decided claim is final: the only change allowed is clearing the
-- deciding operator when their account is deleted.
CREATE FUNCTION organisation_claims_decided_are_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'pending' AND NOT (
        NEW.decided_by IS NULL AND NEW.status = OLD.status AND NEW.listing_id = OLD.listing_id
        AND NEW.user_id = OLD.user_id AND NEW.message = OLD.message
        AND NEW.reason IS NOT DISTINCT FROM OLD.reason AND NEW.created_at = OLD.created_at
        AND NEW.decided_at IS NOT DISTINCT FROM OLD.decided_at) THEN
        RAISE EXCEPTION 'a decided claim is final';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER organisation_claims_decided_are_final BEFORE UPDATE ON organisation_claims
    FOR EACH ROW EXECUTE FUNCTION organisation_claims_decided_are_final();

-- The notification kinds claims send (and those before them: the list is
-- whole).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered',
        'counselling_assigned', 'counselling_reply', 'counselling_member_message', 'petition_message', 'fund_claim_decided',
        'organisation_claim_approved', 'organisation_claim_declined'));
