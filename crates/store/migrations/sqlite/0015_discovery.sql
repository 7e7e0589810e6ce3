-- Discovery: the site operator role, the directory of real organisations
-- (unclaimed listings) and the claims that turn a listing into a community.

-- People who run this server. Granted and revoked with
-- `tsunagari admin grant-operator EMAIL` / `revoke-operator EMAIL`; the role
-- ends with the account.
CREATE TABLE site_operators (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    granted_at TEXT NOT NULL
);

-- Organisations that exist outside tsunagari, shipped with the release
-- (source 'shipped', data/organisations.toml) or imported by the operator
-- (source 'operator'). As with public schemes, loading the shipped file
-- never touches operator rows, and a listing is withdrawn rather than
-- deleted, so its claims and the link to its community stay.
CREATE TABLE organisation_listings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    slug           TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 3 AND 80),
    kind           TEXT NOT NULL CHECK (kind IN ('professional', 'corporate_alumni', 'regional_alumni', 'npo', 'worker_coop', 'union')),
    name_ja        TEXT NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 80),
    name_en        TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 80),
    description_ja TEXT NOT NULL CHECK (length(description_ja) BETWEEN 1 AND 300),
    description_en TEXT NOT NULL CHECK (length(description_en) BETWEEN 1 AND 300),
    prefecture     TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    website        TEXT CHECK (website IS NULL OR website LIKE 'https://%'),
    company        TEXT CHECK (company IS NULL OR length(company) BETWEEN 1 AND 80),
    -- Tags, one per line, in the file's order.
    tags_text      TEXT NOT NULL DEFAULT '',
    -- Order within the file it came from.
    position       INTEGER NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('shipped', 'operator')),
    withdrawn      INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    -- The community an approved claim made of it; one listing per community.
    community_id   INTEGER UNIQUE REFERENCES communities (id) ON DELETE SET NULL,
    claimed_at     TEXT,
    -- Bumped first by every claim and decision on this listing, so they run
    -- one at a time per listing on both databases.
    claim_version  INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (kind <> 'regional_alumni' OR prefecture IS NOT NULL),
    CHECK (kind <> 'corporate_alumni' OR company IS NOT NULL)
);
CREATE INDEX organisation_listings_kind ON organisation_listings (kind, position);
CREATE INDEX organisation_listings_prefecture ON organisation_listings (prefecture);

-- A claimed listing stays its community's: the link may only be cleared
-- (by ON DELETE SET NULL), never pointed at another community.
CREATE TRIGGER organisation_listings_claimed_once BEFORE UPDATE OF community_id ON organisation_listings
WHEN OLD.community_id IS NOT NULL AND NEW.community_id IS NOT NULL AND NEW.community_id <> OLD.community_id
BEGIN
    SELECT RAISE(ABORT, 'a claimed listing cannot be claimed again');
END;

-- Requests to claim a listing. The message is the claimant's own words
-- about who they are, so it goes with their account (ON DELETE CASCADE):
-- a claim is a request, not a ledger, and what an approval did (the
-- community and its ownership) lives on without it. The deciding operator
-- is kept while their account exists (ON DELETE SET NULL).
CREATE TABLE organisation_claims (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id  INTEGER NOT NULL REFERENCES organisation_listings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message     TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined', 'superseded')),
    reason      TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    decided_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
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
CREATE TRIGGER organisation_claims_decided_are_final BEFORE UPDATE ON organisation_claims
WHEN OLD.status <> 'pending' AND NOT (
    NEW.decided_by IS NULL AND NEW.status = OLD.status AND NEW.listing_id = OLD.listing_id
    AND NEW.user_id = OLD.user_id AND NEW.message = OLD.message AND NEW.reason IS OLD.reason
    AND NEW.created_at = OLD.created_at AND NEW.decided_at IS OLD.decided_at)
BEGIN
    SELECT RAISE(ABORT, 'a decided claim is final');
END;

-- The notification kinds claims send (and those before them: the list is
-- whole). SQLite cannot change a CHECK, so the table is rebuilt with the
-- longer list (rows and ids kept).
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered',
        'counselling_assigned', 'counselling_reply', 'counselling_member_message', 'petition_message', 'fund_claim_decided',
        'organisation_claim_approved', 'organisation_claim_declined')),
    subject    TEXT NOT NULL,
    link       TEXT NOT NULL CHECK (substr(link, 1, 1) = '/'),
    created_at TEXT NOT NULL,
    read_at    TEXT
);
INSERT INTO notifications_new (id, user_id, kind, subject, link, created_at, read_at)
    SELECT id, user_id, kind, subject, link, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user_created ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
