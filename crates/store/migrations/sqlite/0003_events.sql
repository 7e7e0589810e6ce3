-- Events of communities, registrations (RSVPs) with a waitlist, and the
-- secret keys of personal calendar feeds.

CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description  TEXT NOT NULL DEFAULT '',
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    time_zone    TEXT NOT NULL,
    online       INTEGER NOT NULL CHECK (online IN (0, 1)),
    online_url   TEXT,
    venue        TEXT,
    prefecture   TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    capacity     INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000),
    -- Bumped by every RSVP change: the first write of those transactions,
    -- so they run one at a time per event, and the source of `rsvps.seq`.
    rsvp_version INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (online = 1 OR venue IS NOT NULL)
);
CREATE INDEX events_community_start ON events (community_id, starts_at);

CREATE TABLE rsvps (
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted')),
    seq          INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    attended     INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    PRIMARY KEY (event_id, user_id),
    UNIQUE (event_id, seq)
);
CREATE INDEX rsvps_user ON rsvps (user_id);
CREATE INDEX rsvps_event_status_seq ON rsvps (event_id, status, seq);

CREATE TABLE calendar_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
