-- Threads and replies inside communities, reports on them, and the
-- append-only audit log of what organisers do.

CREATE TABLE threads (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id     INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- Posts outlive their author's account: they stay, unattributed.
    author_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title            TEXT NOT NULL CHECK (length(title) <= 150),
    body             TEXT NOT NULL CHECK (length(body) <= 20000),
    state            TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'removed', 'deleted')),
    is_announcement  INTEGER NOT NULL DEFAULT 0 CHECK (is_announcement IN (0, 1)),
    is_pinned        INTEGER NOT NULL DEFAULT 0 CHECK (is_pinned IN (0, 1)),
    created_at       TEXT NOT NULL,
    edited_at        TEXT,
    last_activity_at TEXT NOT NULL
);
CREATE INDEX threads_listing ON threads (community_id, is_pinned, last_activity_at);
CREATE INDEX threads_author ON threads (author_id);

CREATE TABLE replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id  INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body       TEXT NOT NULL CHECK (length(body) <= 20000),
    state      TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'removed', 'deleted')),
    created_at TEXT NOT NULL,
    edited_at  TEXT
);
CREATE INDEX replies_thread ON replies (thread_id, id);
CREATE INDEX replies_author ON replies (author_id);

CREATE TABLE post_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    post_kind    TEXT NOT NULL CHECK (post_kind IN ('thread', 'reply')),
    post_id      INTEGER NOT NULL,
    reporter_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,
    -- One report per person per post.
    UNIQUE (post_kind, post_id, reporter_id)
);
CREATE INDEX post_reports_open ON post_reports (community_id, resolved_at);

-- Actor and target ids carry no foreign key: entries outlive accounts.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    actor_id     INTEGER NOT NULL,
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('thread', 'reply', 'member')),
    target_id    INTEGER NOT NULL,
    reason       TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX audit_log_community ON audit_log (community_id, id);

-- The log is append-only: the database refuses changes and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
