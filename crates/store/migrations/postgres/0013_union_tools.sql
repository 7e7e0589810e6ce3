-- Union tools: counselling requests, petitions and the solidarity fund.

-- The notification kinds these tools send.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered',
    'counselling_assigned', 'counselling_reply', 'counselling_member_message', 'petition_message', 'fund_claim_decided'));

-- Counselling ----------------------------------------------------------

-- The members organisers named as the union's counsellors.
CREATE TABLE counsellors (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX counsellors_user ON counsellors (user_id);

CREATE TABLE counselling_requests (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id      BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- A request is about its member alone: it goes with their account.
    member_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category          TEXT NOT NULL CHECK (category IN ('career_change', 'skills', 'workplace', 'work_life', 'reemployment', 'other')),
    topic             TEXT NOT NULL CHECK (char_length(topic) BETWEEN 1 AND 2000),
    channel           TEXT NOT NULL CHECK (channel IN ('chat', 'phone', 'video')),
    contact           TEXT CHECK (contact IS NULL OR char_length(contact) BETWEEN 1 AND 200),
    preferred_times   TEXT NOT NULL DEFAULT '' CHECK (char_length(preferred_times) <= 500),
    -- A counsellor whose account goes leaves the request in the queue.
    assigned_to       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    assigned_at       TIMESTAMPTZ,
    first_response_at TIMESTAMPTZ,
    closed_at         TIMESTAMPTZ,
    closed_by         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    summary           TEXT CHECK (summary IS NULL OR char_length(summary) BETWEEN 1 AND 2000),
    created_at        TIMESTAMPTZ NOT NULL,
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
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      BIGINT NOT NULL REFERENCES counselling_requests (id) ON DELETE CASCADE,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_counsellor BOOLEAN NOT NULL,
    body            TEXT NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX counselling_messages_request ON counselling_messages (request_id, id);
CREATE INDEX counselling_messages_author ON counselling_messages (author_id);

-- Petitions ------------------------------------------------------------

CREATE TABLE petitions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
    demand       TEXT NOT NULL CHECK (char_length(demand) BETWEEN 1 AND 10000),
    target       TEXT NOT NULL CHECK (char_length(target) BETWEEN 1 AND 120),
    goal         BIGINT NOT NULL CHECK (goal BETWEEN 1 AND 1000000),
    deadline     TIMESTAMPTZ NOT NULL,
    audience     TEXT NOT NULL CHECK (audience IN ('members', 'signed_in')),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX petitions_community ON petitions (community_id, deadline);

CREATE TABLE petition_signatures (
    petition_id BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    -- A signature is its signer's own statement: it goes with their account.
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    show_name   BOOLEAN NOT NULL DEFAULT FALSE,
    signed_at   TIMESTAMPTZ NOT NULL,
    -- One signature per person per petition.
    PRIMARY KEY (petition_id, user_id)
);
CREATE INDEX petition_signatures_user ON petition_signatures (user_id);
CREATE INDEX petition_signatures_time ON petition_signatures (petition_id, signed_at);

-- Organisers' dated updates; those sent to the signers notified them.
CREATE TABLE petition_updates (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id     BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    author_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body            TEXT NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    sent_to_signers BOOLEAN NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX petition_updates_petition ON petition_updates (petition_id, id);

-- Solidarity fund --------------------------------------------------------

-- One row per union fund: its settings, and the version every ledger
-- change and decision bumps first, so they run one at a time per fund
-- (the write lock on SQLite, the row lock on PostgreSQL). The version a
-- ledger transaction was written under is its sequence number.
CREATE TABLE funds (
    community_id     BIGINT PRIMARY KEY REFERENCES communities (id),
    approvals_needed BIGINT NOT NULL DEFAULT 1 CHECK (approvals_needed BETWEEN 1 AND 20),
    version          BIGINT NOT NULL DEFAULT 0,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- The committee that decides claims; while empty, the organisers decide.
CREATE TABLE fund_committee (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    added_by     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    added_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id)
);

CREATE TABLE fund_claims (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    -- The claim (and a payout of it) stays when the claimant's account
    -- goes; it no longer names anyone.
    claimant_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    amount       BIGINT NOT NULL CHECK (amount BETWEEN 1 AND 1000000),
    reason       TEXT NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'rejected')),
    created_at   TIMESTAMPTZ NOT NULL,
    settled_at   TIMESTAMPTZ,
    CHECK ((status = 'pending') = (settled_at IS NULL))
);
CREATE INDEX fund_claims_community ON fund_claims (community_id, status, created_at);
CREATE INDEX fund_claims_claimant ON fund_claims (claimant_id);

-- Each decider's decision on a claim, once; a rejection carries a note.
CREATE TABLE fund_decisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id   BIGINT NOT NULL REFERENCES fund_claims (id),
    decider_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    approve    BOOLEAN NOT NULL,
    note       TEXT CHECK (note IS NULL OR char_length(note) BETWEEN 1 AND 1000),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (claim_id, decider_id),
    CHECK (approve OR note IS NOT NULL)
);
CREATE INDEX fund_decisions_decider ON fund_decisions (decider_id);

-- The double-entry ledger. A transaction is written as its entries first
-- and then its row; inserting the row checks that the entries balance and
-- that the fund stays at zero or above, and a transaction's entries cannot
-- be added to afterwards. The entries' reference to their row is checked
-- at commit, so entries without a row never commit.
CREATE TABLE fund_transactions (
    community_id BIGINT NOT NULL REFERENCES funds (community_id),
    seq          BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('contribution', 'payout')),
    -- Who contributed, or who was paid. When the account goes the amount
    -- stays and only the link to the person is cleared.
    member_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- The paid claim: one payout per claim.
    claim_id     BIGINT UNIQUE REFERENCES fund_claims (id),
    recorded_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, seq),
    CHECK ((kind = 'payout') = (claim_id IS NOT NULL))
);
CREATE INDEX fund_transactions_member ON fund_transactions (member_id);
CREATE INDEX fund_transactions_recorder ON fund_transactions (recorded_by);

CREATE TABLE fund_entries (
    community_id BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    account      TEXT NOT NULL CHECK (account IN ('fund', 'contributions', 'payouts')),
    amount       BIGINT NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (community_id, seq, account),
    FOREIGN KEY (community_id, seq) REFERENCES fund_transactions (community_id, seq)
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX fund_entries_account ON fund_entries (community_id, account);

CREATE FUNCTION fund_transaction_checks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_count BIGINT;
    entry_sum   BIGINT;
    balance     BIGINT;
BEGIN
    SELECT COUNT(*), COALESCE(SUM(amount), 0) INTO entry_count, entry_sum
        FROM fund_entries WHERE community_id = NEW.community_id AND seq = NEW.seq;
    IF entry_count < 2 OR entry_sum <> 0 THEN
        RAISE EXCEPTION 'fund transaction entries must sum to zero';
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO balance
        FROM fund_entries WHERE community_id = NEW.community_id AND account = 'fund';
    IF balance < 0 THEN
        RAISE EXCEPTION 'the fund balance cannot go below zero';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER fund_transactions_checked BEFORE INSERT ON fund_transactions
    FOR EACH ROW EXECUTE FUNCTION fund_transaction_checks();

CREATE FUNCTION fund_entries_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM fund_transactions WHERE community_id = NEW.community_id AND seq = NEW.seq) THEN
        RAISE EXCEPTION 'a recorded fund transaction takes no more entries';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER fund_entries_sealed BEFORE INSERT ON fund_entries
    FOR EACH ROW EXECUTE FUNCTION fund_entries_sealed();

-- Append-only: entries never change; transactions and decisions change
-- only by forgetting a deleted account (the foreign keys' SET NULL).
CREATE FUNCTION fund_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the fund ledger is append-only';
END
$$;
CREATE TRIGGER fund_entries_append_only BEFORE UPDATE OR DELETE ON fund_entries
    FOR EACH ROW EXECUTE FUNCTION fund_ledger_append_only();
CREATE TRIGGER fund_transactions_no_delete BEFORE DELETE ON fund_transactions
    FOR EACH ROW EXECUTE FUNCTION fund_ledger_append_only();
CREATE TRIGGER fund_decisions_no_delete BEFORE DELETE ON fund_decisions
    FOR EACH ROW EXECUTE FUNCTION fund_ledger_append_only();

CREATE FUNCTION fund_transactions_forget_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.community_id = OLD.community_id AND NEW.seq = OLD.seq AND NEW.kind = OLD.kind
       AND NEW.claim_id IS NOT DISTINCT FROM OLD.claim_id AND NEW.created_at = OLD.created_at
       AND (NEW.member_id IS NOT DISTINCT FROM OLD.member_id OR NEW.member_id IS NULL)
       AND (NEW.recorded_by IS NOT DISTINCT FROM OLD.recorded_by OR NEW.recorded_by IS NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the fund ledger is append-only';
END
$$;
CREATE TRIGGER fund_transactions_no_update BEFORE UPDATE ON fund_transactions
    FOR EACH ROW EXECUTE FUNCTION fund_transactions_forget_only();

CREATE FUNCTION fund_decisions_forget_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.claim_id = OLD.claim_id AND NEW.approve = OLD.approve
       AND NEW.note IS NOT DISTINCT FROM OLD.note AND NEW.created_at = OLD.created_at
       AND (NEW.decider_id IS NOT DISTINCT FROM OLD.decider_id OR NEW.decider_id IS NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'fund decisions are append-only';
END
$$;
CREATE TRIGGER fund_decisions_no_update BEFORE UPDATE ON fund_decisions
    FOR EACH ROW EXECUTE FUNCTION fund_decisions_forget_only();
