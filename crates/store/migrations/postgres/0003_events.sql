-- Events of communities, registrations (RSVPs) with a waitlist, and the
-- secret keys of personal calendar feeds.

CREATE TABLE events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title        TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
    description  TEXT NOT NULL DEFAULT '',
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ NOT NULL,
    time_zone    TEXT NOT NULL,
    online       BOOLEAN NOT NULL,
    online_url   TEXT,
    venue        TEXT,
    prefecture   TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    capacity     BIGINT CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000),
    -- Bumped by every RSVP change: the first write of those transactions,
    -- so they run one at a time per event, and the source of `rsvps.seq`.
    rsvp_version BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (online OR venue IS NOT NULL)
);
CREATE INDEX events_community_start ON events (community_id, starts_at);

CREATE TABLE rsvps (
    event_id     BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted')),
    seq          BIGINT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    attended     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (event_id, user_id),
    UNIQUE (event_id, seq)
);
CREATE INDEX rsvps_user ON rsvps (user_id);
CREATE INDEX rsvps_event_status_seq ON rsvps (event_id, status, seq);

CREATE TABLE calendar_feeds (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
