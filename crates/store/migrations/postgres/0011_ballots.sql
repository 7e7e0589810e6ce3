-- Proposals and ballots: one member, one vote.
--
-- The electorate is taken once, when a ballot opens (`ballot_electors`).
-- A named vote is one row per elector (`ballot_votes`, keyed by the
-- elector, replaced on change). A secret ballot instead keeps one anonymous
-- slot per elector (`ballot_secret_choices`), keyed by an HMAC of the ballot
-- and the voter under a server secret that is not in the database, with no
-- voter column and no timestamp, inserted in key order (random). A secret
-- vote writes its slot and nothing else, so no row naming a person shares
-- its transaction id (xmin). Who voted is materialised into
-- `ballot_electors.voted` when the ballot is finalised after the close, in
-- the same transaction that gives every slot a random key; from then on the
-- triggers below freeze every vote row. Ballots are records of a
-- community's decisions: they are never deleted, and a deleted account
-- leaves its elector row and vote in place without the account (ON DELETE
-- SET NULL), so results never change.

CREATE TABLE ballots (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id        BIGINT NOT NULL REFERENCES communities (id),
    created_by          BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title               TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 150),
    body                TEXT NOT NULL DEFAULT '' CHECK (char_length(body) <= 20000),
    kind                TEXT NOT NULL CHECK (kind IN ('yes_no', 'choices')),
    opens_at            TIMESTAMPTZ NOT NULL,
    closes_at           TIMESTAMPTZ NOT NULL,
    time_zone           TEXT NOT NULL,
    secret              BOOLEAN NOT NULL,
    results_hidden      BOOLEAN NOT NULL,
    quorum_percent      BIGINT NOT NULL CHECK (quorum_percent BETWEEN 0 AND 100),
    threshold           TEXT NOT NULL CHECK (threshold IN ('simple_majority', 'two_thirds', 'percent')),
    threshold_percent   BIGINT CHECK (threshold_percent IS NULL OR threshold_percent BETWEEN 1 AND 100),
    created_at          TIMESTAMPTZ NOT NULL,
    -- Set in the transaction that takes the electorate, after its rows.
    electorate_taken_at TIMESTAMPTZ,
    electorate_size     BIGINT CHECK (electorate_size IS NULL OR electorate_size >= 0),
    -- Bumped by taking the electorate and by finalisation, as the first
    -- write of their transactions (the row lock), so those run once and
    -- one at a time.
    version             BIGINT NOT NULL DEFAULT 0,
    -- Set once after the close: from then on nothing about the votes changes.
    finalised_at        TIMESTAMPTZ,
    reminded_at         TIMESTAMPTZ,
    outcome             TEXT CHECK (outcome IS NULL OR char_length(outcome) BETWEEN 1 AND 10000),
    outcome_recorded_at TIMESTAMPTZ,
    outcome_recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK (closes_at > opens_at),
    CHECK ((threshold = 'percent') = (threshold_percent IS NOT NULL)),
    CHECK ((electorate_taken_at IS NULL) = (electorate_size IS NULL)),
    CHECK (finalised_at IS NULL OR electorate_taken_at IS NOT NULL)
);
CREATE INDEX ballots_community ON ballots (community_id, closes_at);
CREATE INDEX ballots_pending ON ballots (finalised_at, opens_at);

CREATE TABLE ballot_options (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ballot_id BIGINT NOT NULL REFERENCES ballots (id),
    position  BIGINT NOT NULL CHECK (position BETWEEN 0 AND 19),
    role      TEXT NOT NULL CHECK (role IN ('yes', 'no', 'abstain', 'choice')),
    label     TEXT NOT NULL CHECK (char_length(label) <= 100),
    CHECK ((role = 'choice') = (char_length(label) > 0)),
    UNIQUE (ballot_id, position),
    UNIQUE (ballot_id, id)
);

CREATE TABLE ballot_electors (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ballot_id BIGINT NOT NULL REFERENCES ballots (id),
    -- NULL once the account is deleted: the elector still counts.
    user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- Who voted: set by a named vote, or for a secret ballot at its
    -- finalisation (until then only the voter's slot, found with the
    -- server secret, says so).
    voted     BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (ballot_id, user_id),
    UNIQUE (id, ballot_id)
);
CREATE INDEX ballot_electors_user ON ballot_electors (user_id);

-- One current vote per elector: the primary key, replaced on change.
CREATE TABLE ballot_votes (
    elector_id BIGINT PRIMARY KEY,
    ballot_id  BIGINT NOT NULL,
    option_id  BIGINT NOT NULL,
    cast_at    TIMESTAMPTZ NOT NULL,
    -- How many times this elector voted: each vote's sequence number.
    version    BIGINT NOT NULL CHECK (version >= 1),
    FOREIGN KEY (elector_id, ballot_id) REFERENCES ballot_electors (id, ballot_id),
    FOREIGN KEY (ballot_id, option_id) REFERENCES ballot_options (ballot_id, id)
);
CREATE INDEX ballot_votes_ballot ON ballot_votes (ballot_id, option_id);

-- One anonymous slot per elector of a secret ballot; `option_id` is NULL
-- until they vote.
CREATE TABLE ballot_secret_choices (
    ballot_id  BIGINT NOT NULL REFERENCES ballots (id),
    choice_key TEXT NOT NULL CHECK (char_length(choice_key) = 64),
    option_id  BIGINT,
    -- Bumped by each vote into the slot (its sequence number); reset
    -- when the slot is re-keyed after the close.
    version    BIGINT NOT NULL DEFAULT 0 CHECK (version >= 0),
    PRIMARY KEY (ballot_id, choice_key),
    FOREIGN KEY (ballot_id, option_id) REFERENCES ballot_options (ballot_id, id)
);

CREATE TABLE ballot_follow_ups (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ballot_id   BIGINT NOT NULL REFERENCES ballots (id),
    action      TEXT NOT NULL CHECK (char_length(action) BETWEEN 1 AND 500),
    due_on      DATE,
    done        BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ballot_follow_ups_ballot ON ballot_follow_ups (ballot_id, id);

-- The record is permanent and, once final, unchangeable.
CREATE FUNCTION ballots_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ballots are permanent';
    END IF;
    IF OLD.finalised_at IS NOT NULL AND (
        NEW.community_id IS DISTINCT FROM OLD.community_id OR NEW.title IS DISTINCT FROM OLD.title
        OR NEW.body IS DISTINCT FROM OLD.body OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.opens_at IS DISTINCT FROM OLD.opens_at OR NEW.closes_at IS DISTINCT FROM OLD.closes_at
        OR NEW.secret IS DISTINCT FROM OLD.secret OR NEW.results_hidden IS DISTINCT FROM OLD.results_hidden
        OR NEW.quorum_percent IS DISTINCT FROM OLD.quorum_percent OR NEW.threshold IS DISTINCT FROM OLD.threshold
        OR NEW.threshold_percent IS DISTINCT FROM OLD.threshold_percent
        OR NEW.electorate_taken_at IS DISTINCT FROM OLD.electorate_taken_at
        OR NEW.electorate_size IS DISTINCT FROM OLD.electorate_size
        OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.finalised_at IS DISTINCT FROM OLD.finalised_at) THEN
        RAISE EXCEPTION 'the ballot is final';
    END IF;
    IF OLD.electorate_taken_at IS NOT NULL AND (
        NEW.electorate_taken_at IS DISTINCT FROM OLD.electorate_taken_at
        OR NEW.electorate_size IS DISTINCT FROM OLD.electorate_size) THEN
        RAISE EXCEPTION 'the electorate is already taken';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ballots_guard BEFORE UPDATE OR DELETE ON ballots
    FOR EACH ROW EXECUTE FUNCTION ballots_guard();

-- Options are fixed once the ballot opens; electors are added only with
-- the electorate; secret slots only to secret ballots, with the electorate.
CREATE FUNCTION ballot_rows_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    b ballots%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% rows are permanent', TG_TABLE_NAME;
    END IF;
    SELECT * INTO b FROM ballots WHERE id = NEW.ballot_id;
    IF TG_OP = 'INSERT' THEN
        IF TG_TABLE_NAME IN ('ballot_options', 'ballot_electors', 'ballot_secret_choices')
            AND b.electorate_taken_at IS NOT NULL THEN
            RAISE EXCEPTION '% are fixed once the electorate is taken', TG_TABLE_NAME;
        END IF;
        IF TG_TABLE_NAME = 'ballot_secret_choices' AND NOT b.secret THEN
            RAISE EXCEPTION 'secret slots belong to secret ballots';
        END IF;
        IF TG_TABLE_NAME = 'ballot_votes' AND (b.secret OR b.finalised_at IS NOT NULL) THEN
            RAISE EXCEPTION 'no named votes in a secret or final ballot';
        END IF;
        RETURN NEW;
    END IF;
    -- UPDATE
    IF NEW.ballot_id IS DISTINCT FROM OLD.ballot_id THEN
        RAISE EXCEPTION 'rows stay with their ballot';
    END IF;
    IF TG_TABLE_NAME = 'ballot_options' THEN
        RAISE EXCEPTION 'options are fixed';
    END IF;
    IF TG_TABLE_NAME = 'ballot_electors' THEN
        -- Only voting (before the ballot is final) or account deletion.
        IF NEW.id IS DISTINCT FROM OLD.id
            OR (NEW.user_id IS DISTINCT FROM OLD.user_id AND NEW.user_id IS NOT NULL)
            OR (NEW.voted IS DISTINCT FROM OLD.voted AND (OLD.voted OR b.finalised_at IS NOT NULL)) THEN
            RAISE EXCEPTION 'elector rows change only by voting or account deletion';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'ballot_votes' THEN
        -- (Nested: PL/pgSQL does not short-circuit a field of another table.)
        IF NEW.elector_id IS DISTINCT FROM OLD.elector_id THEN
            RAISE EXCEPTION 'a vote stays with its elector';
        END IF;
    END IF;
    IF b.finalised_at IS NOT NULL THEN
        RAISE EXCEPTION 'the vote is final';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ballot_options_guard BEFORE INSERT OR UPDATE OR DELETE ON ballot_options
    FOR EACH ROW EXECUTE FUNCTION ballot_rows_guard();
CREATE TRIGGER ballot_electors_guard BEFORE INSERT OR UPDATE OR DELETE ON ballot_electors
    FOR EACH ROW EXECUTE FUNCTION ballot_rows_guard();
CREATE TRIGGER ballot_votes_guard BEFORE INSERT OR UPDATE OR DELETE ON ballot_votes
    FOR EACH ROW EXECUTE FUNCTION ballot_rows_guard();
CREATE TRIGGER ballot_secret_choices_guard BEFORE INSERT OR UPDATE OR DELETE ON ballot_secret_choices
    FOR EACH ROW EXECUTE FUNCTION ballot_rows_guard();

-- Reminders are notifications of a new kind.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder'));
