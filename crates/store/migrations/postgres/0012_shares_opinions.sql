-- The co-op share register (出資の記録) and the opinion box (意見の反映).
--
-- Account deletion never changes a ledger's numbers: the register keeps
-- one holder row per member (`share_holders`), and only its link to the
-- account is cut (user_id SET NULL), so a former member's entries stay
-- theirs, apart from everyone else's, without their name. The append-only
-- tables allow exactly one change: a person column becoming NULL when
-- that account is deleted (ON DELETE SET NULL); triggers refuse every
-- other UPDATE and every DELETE.

-- Refuses DELETE, and every UPDATE except the named person column
-- (TG_ARGV[0]) going from a value to NULL with nothing else changed.
CREATE FUNCTION coop_append_only_allow_unlink() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    person TEXT := TG_ARGV[0];
BEGIN
    IF TG_OP = 'UPDATE'
        AND to_jsonb(OLD) ->> person IS NOT NULL
        AND to_jsonb(NEW) ->> person IS NULL
        AND (to_jsonb(NEW) - person) = (to_jsonb(OLD) - person) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;

-- One row per co-op with a register: the current unit price, and the
-- version every ledger write bumps first, which serialises the writes of
-- one co-op and numbers them (`share_entries.seq`).
CREATE TABLE share_registers (
    community_id BIGINT PRIMARY KEY REFERENCES communities (id),
    unit_price   BIGINT NOT NULL CHECK (unit_price BETWEEN 1 AND 10000000),
    version      BIGINT NOT NULL DEFAULT 0,
    updated_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);

-- A member's account in one co-op's register.
CREATE TABLE share_holders (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    user_id      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, user_id),
    UNIQUE (community_id, id)
);
CREATE INDEX share_holders_user ON share_holders (user_id);
CREATE TRIGGER share_holders_append_only BEFORE UPDATE OR DELETE ON share_holders
    FOR EACH ROW EXECUTE FUNCTION coop_append_only_allow_unlink('user_id');

-- The ledger. Each entry records what it does to its holder's three
-- balances (units, yen subscribed, yen paid); holdings and the co-op's
-- capital are their sums, never stored.
CREATE TABLE share_entries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    holder_id    BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('subscribe', 'payment', 'refund', 'reversal')),
    units        BIGINT NOT NULL,
    subscribed   BIGINT NOT NULL,
    paid         BIGINT NOT NULL,
    unit_price   BIGINT CHECK (unit_price IS NULL OR unit_price BETWEEN 1 AND 10000000),
    -- A correction names the entry it cancels; each entry at most once.
    reverses     BIGINT UNIQUE REFERENCES share_entries (id),
    note         TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    recorded_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    seq          BIGINT NOT NULL,
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
CREATE FUNCTION share_entries_reversal_cancels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'reversal' AND NOT EXISTS (
        SELECT 1 FROM share_entries r
        WHERE r.id = NEW.reverses AND r.kind <> 'reversal'
          AND r.community_id = NEW.community_id AND r.holder_id = NEW.holder_id
          AND r.units = -NEW.units AND r.subscribed = -NEW.subscribed AND r.paid = -NEW.paid) THEN
        RAISE EXCEPTION 'a reversal must exactly cancel one entry of the same holder';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER share_entries_reversal_cancels BEFORE INSERT ON share_entries
    FOR EACH ROW EXECUTE FUNCTION share_entries_reversal_cancels();

-- No entry may leave its holder with negative units or money, more paid
-- than subscribed, or value without units.
CREATE FUNCTION share_entries_balances_stay_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (
            SELECT SUM(units) AS u, SUM(subscribed) AS s, SUM(paid) AS p
            FROM share_entries WHERE holder_id = NEW.holder_id
        ) sums WHERE u < 0 OR p < 0 OR p > s OR (u = 0 AND s <> 0)) THEN
        RAISE EXCEPTION 'a share balance would become invalid';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER share_entries_balances_stay_valid AFTER INSERT ON share_entries
    FOR EACH ROW EXECUTE FUNCTION share_entries_balances_stay_valid();

CREATE TRIGGER share_entries_append_only BEFORE UPDATE OR DELETE ON share_entries
    FOR EACH ROW EXECUTE FUNCTION coop_append_only_allow_unlink('recorded_by');

-- Opinions. The author is kept for abuse controls even when the opinion is
-- anonymous; the application never shows it for anonymous opinions. The
-- site operator may remove abusive content here directly.
CREATE TABLE opinions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    author_id    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    anonymous    BOOLEAN NOT NULL,
    title        TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
    body         TEXT NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX opinions_community ON opinions (community_id, created_at);
CREATE INDEX opinions_author ON opinions (author_id);

-- Every response and status change, append-only: an opinion's status and
-- its first response are read from here.
CREATE TABLE opinion_responses (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opinion_id   BIGINT NOT NULL REFERENCES opinions (id),
    status       TEXT NOT NULL CHECK (status IN ('under_discussion', 'answered', 'adopted', 'declined')),
    body         TEXT NOT NULL CHECK (char_length(body) <= 5000),
    responded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    -- Answers need words; a decline needs its reason.
    CHECK (status = 'under_discussion' OR char_length(body) > 0)
);
CREATE INDEX opinion_responses_opinion ON opinion_responses (opinion_id, id);
CREATE INDEX opinion_responses_responder ON opinion_responses (responded_by);
CREATE TRIGGER opinion_responses_append_only BEFORE UPDATE OR DELETE ON opinion_responses
    FOR EACH ROW EXECUTE FUNCTION coop_append_only_allow_unlink('responded_by');

-- A notification kind for the author of an opinion that got a response.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered'));
