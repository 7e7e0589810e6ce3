-- Proposals and ballots: one member, one vote.
--
-- The electorate is taken once, when a ballot opens (`ballot_electors`).
-- A named vote is one row per elector (`ballot_votes`, keyed by the
-- elector, replaced on change). A secret ballot instead keeps one anonymous
-- slot per elector (`ballot_secret_choices`), keyed by an HMAC of the ballot
-- and the voter under a server secret that is not in the database, with no
-- voter column, no timestamp and no row id (WITHOUT ROWID: rows are stored in
-- key order, which is random). A secret vote writes its slot and nothing
-- else. Who voted is materialised into `ballot_electors.voted` when the
-- ballot is finalised after the close, in the same transaction that gives
-- every slot a random key; from then on the triggers below freeze every vote
-- row. Ballots are records of a community's decisions: they are never
-- deleted, and a deleted account leaves its elector row and vote in place
-- without the account (ON DELETE SET NULL), so results never change.

CREATE TABLE ballots (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id        INTEGER NOT NULL REFERENCES communities (id),
    created_by          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    body                TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    kind                TEXT NOT NULL CHECK (kind IN ('yes_no', 'choices')),
    opens_at            TEXT NOT NULL,
    closes_at           TEXT NOT NULL,
    time_zone           TEXT NOT NULL,
    secret              INTEGER NOT NULL CHECK (secret IN (0, 1)),
    results_hidden      INTEGER NOT NULL CHECK (results_hidden IN (0, 1)),
    quorum_percent      INTEGER NOT NULL CHECK (quorum_percent BETWEEN 0 AND 100),
    threshold           TEXT NOT NULL CHECK (threshold IN ('simple_majority', 'two_thirds', 'percent')),
    threshold_percent   INTEGER CHECK (threshold_percent IS NULL OR threshold_percent BETWEEN 1 AND 100),
    created_at          TEXT NOT NULL,
    -- Set in the transaction that takes the electorate, after its rows.
    electorate_taken_at TEXT,
    electorate_size     INTEGER CHECK (electorate_size IS NULL OR electorate_size >= 0),
    -- Bumped by taking the electorate and by finalisation, as the first
    -- write of their transactions, so those run once and one at a time.
    version             INTEGER NOT NULL DEFAULT 0,
    -- Set once after the close: from then on nothing about the votes changes.
    finalised_at        TEXT,
    reminded_at         TEXT,
    outcome             TEXT CHECK (outcome IS NULL OR length(outcome) BETWEEN 1 AND 10000),
    outcome_recorded_at TEXT,
    outcome_recorded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    CHECK (closes_at > opens_at),
    CHECK ((threshold = 'percent') = (threshold_percent IS NOT NULL)),
    CHECK ((electorate_taken_at IS NULL) = (electorate_size IS NULL)),
    CHECK (finalised_at IS NULL OR electorate_taken_at IS NOT NULL)
);
CREATE INDEX ballots_community ON ballots (community_id, closes_at);
CREATE INDEX ballots_pending ON ballots (finalised_at, opens_at);

CREATE TABLE ballot_options (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ballot_id INTEGER NOT NULL REFERENCES ballots (id),
    position  INTEGER NOT NULL CHECK (position BETWEEN 0 AND 19),
    role      TEXT NOT NULL CHECK (role IN ('yes', 'no', 'abstain', 'choice')),
    label     TEXT NOT NULL CHECK (length(label) <= 100),
    CHECK ((role = 'choice') = (length(label) > 0)),
    UNIQUE (ballot_id, position),
    UNIQUE (ballot_id, id)
);

CREATE TABLE ballot_electors (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ballot_id INTEGER NOT NULL REFERENCES ballots (id),
    -- NULL once the account is deleted: the elector still counts.
    user_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Who voted: set by a named vote, or for a secret ballot at its
    -- finalisation (until then only the voter's slot, found with the
    -- server secret, says so).
    voted     INTEGER NOT NULL DEFAULT 0 CHECK (voted IN (0, 1)),
    UNIQUE (ballot_id, user_id),
    UNIQUE (id, ballot_id)
);
CREATE INDEX ballot_electors_user ON ballot_electors (user_id);

-- One current vote per elector: the primary key, replaced on change.
CREATE TABLE ballot_votes (
    elector_id INTEGER PRIMARY KEY,
    ballot_id  INTEGER NOT NULL,
    option_id  INTEGER NOT NULL,
    cast_at    TEXT NOT NULL,
    -- How many times this elector voted: each vote's sequence number.
    version    INTEGER NOT NULL CHECK (version >= 1),
    FOREIGN KEY (elector_id, ballot_id) REFERENCES ballot_electors (id, ballot_id),
    FOREIGN KEY (ballot_id, option_id) REFERENCES ballot_options (ballot_id, id)
);
CREATE INDEX ballot_votes_ballot ON ballot_votes (ballot_id, option_id);

-- One anonymous slot per elector of a secret ballot; `option_id` is NULL
-- until they vote.
CREATE TABLE ballot_secret_choices (
    ballot_id  INTEGER NOT NULL REFERENCES ballots (id),
    choice_key TEXT NOT NULL CHECK (length(choice_key) = 64),
    option_id  INTEGER,
    -- Bumped by each vote into the slot (its sequence number); reset
    -- when the slot is re-keyed after the close.
    version    INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
    PRIMARY KEY (ballot_id, choice_key),
    FOREIGN KEY (ballot_id, option_id) REFERENCES ballot_options (ballot_id, id)
) WITHOUT ROWID;

CREATE TABLE ballot_follow_ups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 500),
    due_on      TEXT CHECK (due_on IS NULL OR length(due_on) = 10),
    done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    recorded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ballot_follow_ups_ballot ON ballot_follow_ups (ballot_id, id);

-- The record is permanent and, once final, unchangeable.
CREATE TRIGGER ballots_no_delete BEFORE DELETE ON ballots
BEGIN
    SELECT RAISE(ABORT, 'ballots are permanent');
END;
CREATE TRIGGER ballots_frozen BEFORE UPDATE ON ballots
WHEN OLD.finalised_at IS NOT NULL AND (
    NEW.community_id IS NOT OLD.community_id OR NEW.title IS NOT OLD.title OR NEW.body IS NOT OLD.body
    OR NEW.kind IS NOT OLD.kind OR NEW.opens_at IS NOT OLD.opens_at OR NEW.closes_at IS NOT OLD.closes_at
    OR NEW.secret IS NOT OLD.secret OR NEW.results_hidden IS NOT OLD.results_hidden
    OR NEW.quorum_percent IS NOT OLD.quorum_percent OR NEW.threshold IS NOT OLD.threshold
    OR NEW.threshold_percent IS NOT OLD.threshold_percent OR NEW.electorate_taken_at IS NOT OLD.electorate_taken_at
    OR NEW.electorate_size IS NOT OLD.electorate_size OR NEW.version IS NOT OLD.version
    OR NEW.finalised_at IS NOT OLD.finalised_at)
BEGIN
    SELECT RAISE(ABORT, 'the ballot is final');
END;
-- The electorate, and with it the options, are fixed once taken.
CREATE TRIGGER ballots_electorate_once BEFORE UPDATE OF electorate_taken_at, electorate_size ON ballots
WHEN OLD.electorate_taken_at IS NOT NULL
    AND (NEW.electorate_taken_at IS NOT OLD.electorate_taken_at OR NEW.electorate_size IS NOT OLD.electorate_size)
BEGIN
    SELECT RAISE(ABORT, 'the electorate is already taken');
END;
CREATE TRIGGER ballot_options_fixed_insert BEFORE INSERT ON ballot_options
WHEN (SELECT electorate_taken_at FROM ballots WHERE id = NEW.ballot_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'options are fixed once the ballot opens');
END;
CREATE TRIGGER ballot_options_no_update BEFORE UPDATE ON ballot_options
BEGIN
    SELECT RAISE(ABORT, 'options are fixed');
END;
CREATE TRIGGER ballot_options_no_delete BEFORE DELETE ON ballot_options
BEGIN
    SELECT RAISE(ABORT, 'options are fixed');
END;
CREATE TRIGGER ballot_electors_fixed_insert BEFORE INSERT ON ballot_electors
WHEN (SELECT electorate_taken_at FROM ballots WHERE id = NEW.ballot_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the electorate is already taken');
END;
-- An elector row only ever changes by voting (while the ballot is not
-- final) or by its account being deleted.
CREATE TRIGGER ballot_electors_update BEFORE UPDATE ON ballot_electors
WHEN NEW.ballot_id IS NOT OLD.ballot_id OR NEW.id IS NOT OLD.id
    OR (NEW.user_id IS NOT OLD.user_id AND NEW.user_id IS NOT NULL)
    OR (NEW.voted IS NOT OLD.voted AND (OLD.voted = 1
        OR (SELECT finalised_at FROM ballots WHERE id = OLD.ballot_id) IS NOT NULL))
BEGIN
    SELECT RAISE(ABORT, 'elector rows change only by voting or account deletion');
END;
CREATE TRIGGER ballot_electors_no_delete BEFORE DELETE ON ballot_electors
BEGIN
    SELECT RAISE(ABORT, 'the electorate is permanent');
END;
-- Named votes: never in a secret ballot, never deleted, frozen once final.
CREATE TRIGGER ballot_votes_insert BEFORE INSERT ON ballot_votes
WHEN (SELECT secret = 1 OR finalised_at IS NOT NULL FROM ballots WHERE id = NEW.ballot_id)
BEGIN
    SELECT RAISE(ABORT, 'no named votes in a secret or final ballot');
END;
CREATE TRIGGER ballot_votes_update BEFORE UPDATE ON ballot_votes
WHEN NEW.elector_id IS NOT OLD.elector_id OR NEW.ballot_id IS NOT OLD.ballot_id
    OR (SELECT finalised_at FROM ballots WHERE id = OLD.ballot_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the vote is final');
END;
CREATE TRIGGER ballot_votes_no_delete BEFORE DELETE ON ballot_votes
BEGIN
    SELECT RAISE(ABORT, 'votes are never deleted');
END;
-- Secret slots: created with the electorate, never deleted, frozen once final.
CREATE TRIGGER ballot_secret_choices_insert BEFORE INSERT ON ballot_secret_choices
WHEN (SELECT secret = 0 OR electorate_taken_at IS NOT NULL FROM ballots WHERE id = NEW.ballot_id)
BEGIN
    SELECT RAISE(ABORT, 'secret slots are created with the electorate of a secret ballot');
END;
CREATE TRIGGER ballot_secret_choices_update BEFORE UPDATE ON ballot_secret_choices
WHEN NEW.ballot_id IS NOT OLD.ballot_id
    OR (SELECT finalised_at FROM ballots WHERE id = OLD.ballot_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the vote is final');
END;
CREATE TRIGGER ballot_secret_choices_no_delete BEFORE DELETE ON ballot_secret_choices
BEGIN
    SELECT RAISE(ABORT, 'votes are never deleted');
END;

-- Reminders are notifications of a new kind; SQLite changes a CHECK by
-- rebuilding the table (nothing references it).
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder')),
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
