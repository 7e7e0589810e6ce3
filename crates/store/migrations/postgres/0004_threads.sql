-- Threads and replies inside communities, reports on them, and the
-- append-only audit log of what organisers do.

CREATE TABLE threads (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id     BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- Posts outlive their author's account: they stay, unattributed.
    author_id        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title            TEXT NOT NULL CHECK (char_length(title) <= 150),
    body             TEXT NOT NULL CHECK (char_length(body) <= 20000),
    state            TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'removed', 'deleted')),
    is_announcement  BOOLEAN NOT NULL DEFAULT FALSE,
    is_pinned        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    edited_at        TIMESTAMPTZ,
    last_activity_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX threads_listing ON threads (community_id, is_pinned, last_activity_at);
CREATE INDEX threads_author ON threads (author_id);

CREATE TABLE replies (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id  BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    author_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body       TEXT NOT NULL CHECK (char_length(body) <= 20000),
    state      TEXT NOT NULL CHECK (state IN ('visible', 'hidden', 'removed', 'deleted')),
    created_at TIMESTAMPTZ NOT NULL,
    edited_at  TIMESTAMPTZ
);
CREATE INDEX replies_thread ON replies (thread_id, id);
CREATE INDEX replies_author ON replies (author_id);

CREATE TABLE post_reports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    post_kind    TEXT NOT NULL CHECK (post_kind IN ('thread', 'reply')),
    post_id      BIGINT NOT NULL,
    reporter_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT CHECK (reason IS NULL OR char_length(reason) <= 500),
    created_at   TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ,
    -- One report per person per post.
    UNIQUE (post_kind, post_id, reporter_id)
);
CREATE INDEX post_reports_open ON post_reports (community_id, resolved_at);

-- Actor and target ids carry no foreign key: entries outlive accounts.
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    actor_id     BIGINT NOT NULL,
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('thread', 'reply', 'member')),
    target_id    BIGINT NOT NULL,
    reason       TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_community ON audit_log (community_id, id);

-- The log is append-only: the database refuses changes and deletions.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
