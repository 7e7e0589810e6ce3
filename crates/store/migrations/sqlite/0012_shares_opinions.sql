-- The co-op share register (出資の記録) and the opinion box (意見の反映).
--
-- Account deletion never changes a ledger's numbers: the register keeps
-- one holder row per member (`share_holders`), and only its link to the
-- account is cut (user_id SET NULL), so a former member's entries stay
-- theirs, apart from everyone else's, without their name. The append-only
-- tables allow exactly one change: a person column becoming NULL when
-- that account is deleted (ON DELETE SET NULL); triggers refuse every
-- other UPDATE and every DELETE.

-- One row per co-op with a register: the current unit price, and the
-- version every ledger write bumps first, which serialises the writes of
-- one co-op and numbers them (`share_entries.seq`).
CREATE TABLE share_registers (
    community_id INTEGER PRIMARY KEY REFERENCES communities (id),
    unit_price   INTEGER NOT NULL CHECK (unit_price BETWEEN 1 AND 10000000),
    version      INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_at   TEXT NOT NULL
);

-- A member's account in one co-op's register.
CREATE TABLE share_holders (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (community_id, user_id),
    UNIQUE (community_id, id)
);
CREATE INDEX share_holders_user ON share_holders (user_id);

CREATE TRIGGER share_holders_no_update BEFORE UPDATE ON share_holders
WHEN NOT (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
    AND NEW.id IS OLD.id AND NEW.community_id IS OLD.community_id AND NEW.created_at IS OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'share_holders rows are never reassigned');
END;
CREATE TRIGGER share_holders_no_delete BEFORE DELETE ON share_holders
BEGIN
    SELECT RAISE(ABORT, 'share_holders rows are kept with the ledger');
END;

-- The ledger. Each entry records what it does to its holder's three
-- balances (units, yen subscribed, yen paid); holdings and the co-op's
-- capital are their sums, never stored.
CREATE TABLE share_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    holder_id    INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('subscribe', 'payment', 'refund', 'reversal')),
    units        INTEGER NOT NULL,
    subscribed   INTEGER NOT NULL,
    paid         INTEGER NOT NULL,
    unit_price   INTEGER CHECK (unit_price IS NULL OR unit_price BETWEEN 1 AND 10000000),
    -- A correction names the entry it cancels; each entry at most once.
    reverses     INTEGER UNIQUE REFERENCES share_entries (id),
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    recorded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    recorded_at  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    FOREIGN KEY (community_id, holder_id) REFERENCES share_holders (community_id, id),
    UNIQUE (community_id, seq),
    CHECK (
        (kind = 'subscribe' AND units > 0 AND paid = 0 AND unit_price IS NOT NULL
            AND subscribed = units * unit_price AND reverses IS NULL)
        OR (kind = 'payment' AND units = 0 AND subscribed = 0 AND paid > 0
            AND unit_price IS NULL AND reverses IS NULL)
        OR (kind = 'refund' AND units < 0 AND subscribed <= 0 AND paid <= 0
            AND unit_price IS NULL AND reverses IS NULL)
        OR (kind = 'reversal' AND reverses IS NOT NULL AND unit_price IS NULL)
    )
);
CREATE INDEX share_entries_holder ON share_entries (holder_id, id);
CREATE INDEX share_entries_community ON share_entries (community_id, id);
CREATE INDEX share_entries_recorded_by ON share_entries (recorded_by);

-- A reversal is the exact opposite of one earlier entry of the same
-- holder, and a reversal itself is never reversed.
CREATE TRIGGER share_entries_reversal_cancels BEFORE INSERT ON share_entries
WHEN NEW.kind = 'reversal' AND NOT EXISTS (
    SELECT 1 FROM share_entries r
    WHERE r.id = NEW.reverses AND r.kind <> 'reversal'
      AND r.community_id = NEW.community_id AND r.holder_id = NEW.holder_id
      AND r.units = -NEW.units AND r.subscribed = -NEW.subscribed AND r.paid = -NEW.paid)
BEGIN
    SELECT RAISE(ABORT, 'a reversal must exactly cancel one entry of the same holder');
END;

-- No entry may leave its holder with negative units or money, more paid
-- than subscribed, or value without units.
CREATE TRIGGER share_entries_balances_stay_valid AFTER INSERT ON share_entries
WHEN EXISTS (
    SELECT 1 FROM (
        SELECT SUM(units) AS u, SUM(subscribed) AS s, SUM(paid) AS p
        FROM share_entries WHERE holder_id = NEW.holder_id
    ) WHERE u < 0 OR p < 0 OR p > s OR (u = 0 AND s <> 0))
BEGIN
    SELECT RAISE(ABORT, 'a share balance would become invalid');
END;

CREATE TRIGGER share_entries_no_update BEFORE UPDATE ON share_entries
WHEN NOT (OLD.recorded_by IS NOT NULL AND NEW.recorded_by IS NULL
    AND NEW.id IS OLD.id AND NEW.community_id IS OLD.community_id AND NEW.holder_id IS OLD.holder_id
    AND NEW.kind IS OLD.kind AND NEW.units IS OLD.units AND NEW.subscribed IS OLD.subscribed
    AND NEW.paid IS OLD.paid AND NEW.unit_price IS OLD.unit_price AND NEW.reverses IS OLD.reverses
    AND NEW.note IS OLD.note AND NEW.recorded_at IS OLD.recorded_at AND NEW.seq IS OLD.seq)
BEGIN
    SELECT RAISE(ABORT, 'share_entries is append-only');
END;
CREATE TRIGGER share_entries_no_delete BEFORE DELETE ON share_entries
BEGIN
    SELECT RAISE(ABORT, 'share_entries is append-only');
END;

-- Opinions. The author is kept for abuse controls even when the opinion is
-- anonymous; the application never shows it for anonymous opinions. The
-- site operator may remove abusive content here directly.
CREATE TABLE opinions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    author_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    anonymous    INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at   TEXT NOT NULL
);
CREATE INDEX opinions_community ON opinions (community_id, created_at);
CREATE INDEX opinions_author ON opinions (author_id);

-- Every response and status change, append-only: an opinion's status and
-- its first response are read from here.
CREATE TABLE opinion_responses (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id   INTEGER NOT NULL REFERENCES opinions (id),
    status       TEXT NOT NULL CHECK (status IN ('under_discussion', 'answered', 'adopted', 'declined')),
    body         TEXT NOT NULL CHECK (length(body) <= 5000),
    responded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    -- Answers need words; a decline needs its reason.
    CHECK (status = 'under_discussion' OR length(body) > 0)
);
CREATE INDEX opinion_responses_opinion ON opinion_responses (opinion_id, id);
CREATE INDEX opinion_responses_responder ON opinion_responses (responded_by);

CREATE TRIGGER opinion_responses_no_update BEFORE UPDATE ON opinion_responses
WHEN NOT (OLD.responded_by IS NOT NULL AND NEW.responded_by IS NULL
    AND NEW.id IS OLD.id AND NEW.opinion_id IS OLD.opinion_id AND NEW.status IS OLD.status
    AND NEW.body IS OLD.body AND NEW.created_at IS OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'opinion_responses is append-only');
END;
CREATE TRIGGER opinion_responses_no_delete BEFORE DELETE ON opinion_responses
BEGIN
    SELECT RAISE(ABORT, 'opinion_responses is append-only');
END;

-- A notification kind for the author of an opinion that got a response.
-- SQLite cannot change a CHECK in place, so the table is rebuilt.
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement',
                                             'ballot_reminder', 'opinion_answered')),
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
