-- Union tools: counselling requests, petitions and the solidarity fund.

-- The notification kinds these tools send (and those before them: the
-- list is whole). SQLite cannot change a CHECK,
-- so the table is rebuilt with the longer list (rows and ids kept).
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered',
        'counselling_assigned', 'counselling_reply', 'counselling_member_message', 'petition_message', 'fund_claim_decided')),
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

-- Counselling ----------------------------------------------------------

-- The members organisers named as the union's counsellors.
CREATE TABLE counsellors (
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX counsellors_user ON counsellors (user_id);

CREATE TABLE counselling_requests (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id      INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- A request is about its member alone: it goes with their account.
    member_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category          TEXT NOT NULL CHECK (category IN ('career_change', 'skills', 'workplace', 'work_life', 'reemployment', 'other')),
    topic             TEXT NOT NULL CHECK (length(topic) BETWEEN 1 AND 2000),
    channel           TEXT NOT NULL CHECK (channel IN ('chat', 'phone', 'video')),
    contact           TEXT CHECK (contact IS NULL OR length(contact) BETWEEN 1 AND 200),
    preferred_times   TEXT NOT NULL DEFAULT '' CHECK (length(preferred_times) <= 500),
    -- A counsellor whose account goes leaves the request in the queue.
    assigned_to       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    assigned_at       TEXT,
    first_response_at TEXT,
    closed_at         TEXT,
    closed_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    summary           TEXT CHECK (summary IS NULL OR length(summary) BETWEEN 1 AND 2000),
    created_at        TEXT NOT NULL,
    -- A phone call needs a number; chat keeps no contact at all.
    CHECK (channel <> 'phone' OR contact IS NOT NULL),
    CHECK (channel <> 'chat' OR contact IS NULL),
    -- Closed exactly when summarised.
    CHECK ((closed_at IS NULL) = (summary IS NULL))
);
CREATE INDEX counselling_requests_queue ON counselling_requests (community_id, closed_at, created_at);
CREATE INDEX counselling_requests_member ON counselling_requests (member_id);
CREATE INDEX counselling_requests_assignee ON counselling_requests (assigned_to);

-- The private thread of a request: the member and the union's counsellors.
CREATE TABLE counselling_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      INTEGER NOT NULL REFERENCES counselling_requests (id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    from_counsellor INTEGER NOT NULL CHECK (from_counsellor IN (0, 1)),
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at      TEXT NOT NULL
);
CREATE INDEX counselling_messages_request ON counselling_messages (request_id, id);
CREATE INDEX counselling_messages_author ON counselling_messages (author_id);

-- Petitions ------------------------------------------------------------

CREATE TABLE petitions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    demand       TEXT NOT NULL CHECK (length(demand) BETWEEN 1 AND 10000),
    target       TEXT NOT NULL CHECK (length(target) BETWEEN 1 AND 120),
    goal         INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 1000000),
    deadline     TEXT NOT NULL,
    audience     TEXT NOT NULL CHECK (audience IN ('members', 'signed_in')),
    created_at   TEXT NOT NULL
);
CREATE INDEX petitions_community ON petitions (community_id, deadline);

CREATE TABLE petition_signatures (
    petition_id INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    -- A signature is its signer's own statement: it goes with their account.
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    show_name   INTEGER NOT NULL DEFAULT 0 CHECK (show_name IN (0, 1)),
    signed_at   TEXT NOT NULL,
    -- One signature per person per petition.
    PRIMARY KEY (petition_id, user_id)
);
CREATE INDEX petition_signatures_user ON petition_signatures (user_id);
CREATE INDEX petition_signatures_time ON petition_signatures (petition_id, signed_at);

-- Organisers' dated updates; those sent to the signers notified them.
CREATE TABLE petition_updates (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id     INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    author_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sent_to_signers INTEGER NOT NULL CHECK (sent_to_signers IN (0, 1)),
    created_at      TEXT NOT NULL
);
CREATE INDEX petition_updates_petition ON petition_updates (petition_id, id);

-- Solidarity fund --------------------------------------------------------

-- One row per union fund: its settings, and the version every ledger
-- change and decision bumps first, so they run one at a time per fund
-- (the write lock on SQLite, the row lock on PostgreSQL). The version a
-- ledger transaction was written under is its sequence number.
CREATE TABLE funds (
    community_id     INTEGER PRIMARY KEY REFERENCES communities (id),
    approvals_needed INTEGER NOT NULL DEFAULT 1 CHECK (approvals_needed BETWEEN 1 AND 20),
    version          INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT NOT NULL
);

-- The committee that decides claims; while empty, the organisers decide.
CREATE TABLE fund_committee (
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id)
);

CREATE TABLE fund_claims (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    -- The claim (and a payout of it) stays when the claimant's account
    -- goes; it no longer names anyone.
    claimant_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    amount       INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000000),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'rejected')),
    created_at   TEXT NOT NULL,
    settled_at   TEXT,
    CHECK ((status = 'pending') = (settled_at IS NULL))
);
CREATE INDEX fund_claims_community ON fund_claims (community_id, status, created_at);
CREATE INDEX fund_claims_claimant ON fund_claims (claimant_id);

-- Each decider's decision on a claim, once; a rejection carries a note.
CREATE TABLE fund_decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id   INTEGER NOT NULL REFERENCES fund_claims (id),
    decider_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    approve    INTEGER NOT NULL CHECK (approve IN (0, 1)),
    note       TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
    created_at TEXT NOT NULL,
    UNIQUE (claim_id, decider_id),
    CHECK (approve = 1 OR note IS NOT NULL)
);
CREATE INDEX fund_decisions_decider ON fund_decisions (decider_id);

-- The double-entry ledger. A transaction is written as its entries first
-- and then its row; inserting the row checks that the entries balance and
-- that the fund stays at zero or above, and a transaction's entries cannot
-- be added to afterwards. The entries' reference to their row is checked
-- at commit, so entries without a row never commit.
CREATE TABLE fund_transactions (
    community_id INTEGER NOT NULL REFERENCES funds (community_id),
    seq          INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('contribution', 'payout')),
    -- Who contributed, or who was paid. When the account goes the amount
    -- stays and only the link to the person is cleared.
    member_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- The paid claim: one payout per claim.
    claim_id     INTEGER UNIQUE REFERENCES fund_claims (id),
    recorded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (community_id, seq),
    CHECK ((kind = 'payout') = (claim_id IS NOT NULL))
);
CREATE INDEX fund_transactions_member ON fund_transactions (member_id);
CREATE INDEX fund_transactions_recorder ON fund_transactions (recorded_by);

CREATE TABLE fund_entries (
    community_id INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    account      TEXT NOT NULL CHECK (account IN ('fund', 'contributions', 'payouts')),
    amount       INTEGER NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (community_id, seq, account),
    FOREIGN KEY (community_id, seq) REFERENCES fund_transactions (community_id, seq)
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fund_entries_account ON fund_entries (community_id, account);

CREATE TRIGGER fund_transactions_balanced BEFORE INSERT ON fund_transactions
WHEN (SELECT COUNT(*) FROM fund_entries WHERE community_id = NEW.community_id AND seq = NEW.seq) < 2
  OR (SELECT SUM(amount) FROM fund_entries WHERE community_id = NEW.community_id AND seq = NEW.seq) <> 0
BEGIN
    SELECT RAISE(ABORT, 'fund transaction entries must sum to zero');
END;
CREATE TRIGGER fund_transactions_not_overdrawn BEFORE INSERT ON fund_transactions
WHEN (SELECT COALESCE(SUM(amount), 0) FROM fund_entries WHERE community_id = NEW.community_id AND account = 'fund') < 0
BEGIN
    SELECT RAISE(ABORT, 'the fund balance cannot go below zero');
END;
CREATE TRIGGER fund_entries_sealed BEFORE INSERT ON fund_entries
WHEN EXISTS (SELECT 1 FROM fund_transactions WHERE community_id = NEW.community_id AND seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'a recorded fund transaction takes no more entries');
END;

-- Append-only: entries never change; transactions and decisions change
-- only by forgetting a deleted account (the foreign keys' SET NULL).
CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'the fund ledger is append-only');
END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN
    SELECT RAISE(ABORT, 'the fund ledger is append-only');
END;
CREATE TRIGGER fund_transactions_no_update BEFORE UPDATE ON fund_transactions
WHEN NOT (NEW.community_id = OLD.community_id AND NEW.seq = OLD.seq AND NEW.kind = OLD.kind
          AND NEW.claim_id IS OLD.claim_id AND NEW.created_at = OLD.created_at
          AND (NEW.member_id IS OLD.member_id OR NEW.member_id IS NULL)
          AND (NEW.recorded_by IS OLD.recorded_by OR NEW.recorded_by IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'the fund ledger is append-only');
END;
CREATE TRIGGER fund_transactions_no_delete BEFORE DELETE ON fund_transactions
BEGIN
    SELECT RAISE(ABORT, 'the fund ledger is append-only');
END;
CREATE TRIGGER fund_decisions_no_update BEFORE UPDATE ON fund_decisions
WHEN NOT (NEW.id = OLD.id AND NEW.claim_id = OLD.claim_id AND NEW.approve = OLD.approve
          AND NEW.note IS OLD.note AND NEW.created_at = OLD.created_at
          AND (NEW.decider_id IS OLD.decider_id OR NEW.decider_id IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'fund decisions are append-only');
END;
CREATE TRIGGER fund_decisions_no_delete BEFORE DELETE ON fund_decisions
BEGIN
    SELECT RAISE(ABORT, 'fund decisions are append-only');
END;
