-- The search change log. Triggers on every table search reads from record
-- which document changed, in the same transaction as the change, so no
-- write path has to remember the index. Each server applies the log to its
-- own index from the last id it applied (re-indexing is idempotent: a row
-- that is gone means the document is removed).
--
-- changed_at is the one time this database takes from its own clock: a
-- trigger has no other. It only decides when old entries are pruned (days
-- later), so the difference between clocks does not matter.
CREATE TABLE search_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_type   TEXT NOT NULL CHECK (length(doc_type) BETWEEN 1 AND 40),
    doc_id     TEXT NOT NULL CHECK (length(doc_id) BETWEEN 1 AND 100),
    changed_at TEXT NOT NULL
);
CREATE INDEX search_changes_changed_at ON search_changes (changed_at);

-- One row: the highest change id ever pruned. An index whose watermark is
-- below it may have missed changes and is rebuilt from the tables.
CREATE TABLE search_log (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL CHECK (pruned_through >= 0)
);
INSERT INTO search_log (id, pruned_through) VALUES (1, 0);

-- Communities: their own document; when what their content inherits
-- (visibility, name, tags, kind, prefecture) changes, their events,
-- threads and replies too.
CREATE TRIGGER search_communities_insert AFTER INSERT ON communities
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('community', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_communities_update
AFTER UPDATE OF name, description, tags_text, kind, prefecture, municipality, visibility, company_name, parent_id ON communities
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('community', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    SELECT 'event', CAST(e.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') FROM events e
    WHERE e.community_id = NEW.id
      AND (OLD.visibility IS NOT NEW.visibility OR OLD.name IS NOT NEW.name OR OLD.tags_text IS NOT NEW.tags_text
           OR OLD.kind IS NOT NEW.kind OR OLD.prefecture IS NOT NEW.prefecture);
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    SELECT 'thread', CAST(t.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') FROM threads t
    WHERE t.community_id = NEW.id
      AND (OLD.visibility IS NOT NEW.visibility OR OLD.name IS NOT NEW.name OR OLD.tags_text IS NOT NEW.tags_text
           OR OLD.kind IS NOT NEW.kind OR OLD.prefecture IS NOT NEW.prefecture);
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    SELECT 'reply', CAST(r.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM replies r JOIN threads t ON t.id = r.thread_id
    WHERE t.community_id = NEW.id
      AND (OLD.visibility IS NOT NEW.visibility OR OLD.name IS NOT NEW.name OR OLD.tags_text IS NOT NEW.tags_text
           OR OLD.kind IS NOT NEW.kind OR OLD.prefecture IS NOT NEW.prefecture);
END;
CREATE TRIGGER search_communities_delete AFTER DELETE ON communities
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('community', CAST(OLD.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

-- Memberships: a community's member count is part of its ranking.
CREATE TRIGGER search_memberships_insert AFTER INSERT ON memberships
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('community', CAST(NEW.community_id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_memberships_update AFTER UPDATE OF status ON memberships
WHEN OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('community', CAST(NEW.community_id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_memberships_delete AFTER DELETE ON memberships
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('community', CAST(OLD.community_id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

-- Events (registrations bump rsvp_version and capacity: not searchable).
CREATE TRIGGER search_events_insert AFTER INSERT ON events
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('event', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_events_update
AFTER UPDATE OF title, description, starts_at, ends_at, online, venue, prefecture, community_id ON events
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('event', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_events_delete AFTER DELETE ON events
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('event', CAST(OLD.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

-- Threads, and their community (its latest activity is part of its
-- ranking); a thread hidden, removed or restored takes its replies along.
CREATE TRIGGER search_threads_insert AFTER INSERT ON threads
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('thread', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')),
           ('community', CAST(NEW.community_id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_threads_update
AFTER UPDATE OF title, body, state, last_activity_at, community_id ON threads
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('thread', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    SELECT 'community', CAST(NEW.community_id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    WHERE OLD.last_activity_at IS NOT NEW.last_activity_at;
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    SELECT 'reply', CAST(r.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') FROM replies r
    WHERE r.thread_id = NEW.id AND OLD.state IS NOT NEW.state;
END;
CREATE TRIGGER search_threads_delete AFTER DELETE ON threads
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('thread', CAST(OLD.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER search_replies_insert AFTER INSERT ON replies
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('reply', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_replies_update AFTER UPDATE OF body, state, thread_id ON replies
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('reply', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_replies_delete AFTER DELETE ON replies
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('reply', CAST(OLD.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

-- Public schemes (withdrawing one is an update).
CREATE TRIGGER search_public_schemes_insert AFTER INSERT ON public_schemes
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('public_scheme', NEW.slug, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_public_schemes_update AFTER UPDATE ON public_schemes
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('public_scheme', NEW.slug, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_public_schemes_delete AFTER DELETE ON public_schemes
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('public_scheme', OLD.slug, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
