-- The search change log. Triggers on every table search reads from record
-- which document changed, in the same transaction as the change, so no
-- write path has to remember the index. Each server applies the log to its
-- own index from the last id it applied (re-indexing is idempotent: a row
-- that is gone means the document is removed). Ids can commit out of
-- order here; the reader keeps a window for late ones (see the app's
-- search indexer).
--
-- changed_at is the one time this database takes from its own clock: a
-- trigger has no other. It only decides when old entries are pruned (days
-- later), so the difference between clocks does not matter.
CREATE TABLE search_changes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_type   TEXT NOT NULL CHECK (char_length(doc_type) BETWEEN 1 AND 40),
    doc_id     TEXT NOT NULL CHECK (char_length(doc_id) BETWEEN 1 AND 100),
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX search_changes_changed_at ON search_changes (changed_at);

-- One row: the highest change id ever pruned. An index whose watermark is
-- below it may have missed changes and is rebuilt from the tables.
CREATE TABLE search_log (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through BIGINT NOT NULL CHECK (pruned_through >= 0)
);
INSERT INTO search_log (id, pruned_through) VALUES (1, 0);

-- Communities: their own document; when what their content inherits
-- (visibility, name, tags, kind, prefecture) changes, their events,
-- threads and replies too.
CREATE FUNCTION search_log_communities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('community', OLD.id::text, now());
        RETURN OLD;
    END IF;
    INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('community', NEW.id::text, now());
    IF TG_OP = 'UPDATE' AND (OLD.visibility, OLD.name, OLD.tags_text, OLD.kind, OLD.prefecture)
            IS DISTINCT FROM (NEW.visibility, NEW.name, NEW.tags_text, NEW.kind, NEW.prefecture) THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at)
        SELECT 'event', e.id::text, now() FROM events e WHERE e.community_id = NEW.id;
        INSERT INTO search_changes (doc_type, doc_id, changed_at)
        SELECT 'thread', t.id::text, now() FROM threads t WHERE t.community_id = NEW.id;
        INSERT INTO search_changes (doc_type, doc_id, changed_at)
        SELECT 'reply', r.id::text, now() FROM replies r JOIN threads t ON t.id = r.thread_id
        WHERE t.community_id = NEW.id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER search_communities
AFTER INSERT OR DELETE OR UPDATE OF name, description, tags_text, kind, prefecture, municipality, visibility, company_name, parent_id
ON communities FOR EACH ROW EXECUTE FUNCTION search_log_communities();

-- Memberships: a community's member count is part of its ranking.
CREATE FUNCTION search_log_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('community', OLD.community_id::text, now());
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('community', NEW.community_id::text, now());
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER search_memberships
AFTER INSERT OR DELETE OR UPDATE OF status ON memberships
FOR EACH ROW EXECUTE FUNCTION search_log_memberships();

-- Events (registrations bump rsvp_version and capacity: not searchable).
CREATE FUNCTION search_log_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('event', OLD.id::text, now());
        RETURN OLD;
    END IF;
    INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('event', NEW.id::text, now());
    RETURN NEW;
END
$$;
CREATE TRIGGER search_events
AFTER INSERT OR DELETE OR UPDATE OF title, description, starts_at, ends_at, online, venue, prefecture, community_id
ON events FOR EACH ROW EXECUTE FUNCTION search_log_events();

-- Threads, and their community (its latest activity is part of its
-- ranking); a thread hidden, removed or restored takes its replies along.
CREATE FUNCTION search_log_threads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('thread', OLD.id::text, now());
        RETURN OLD;
    END IF;
    INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('thread', NEW.id::text, now());
    IF TG_OP = 'INSERT' OR OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('community', NEW.community_id::text, now());
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.state IS DISTINCT FROM NEW.state THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at)
        SELECT 'reply', r.id::text, now() FROM replies r WHERE r.thread_id = NEW.id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER search_threads
AFTER INSERT OR DELETE OR UPDATE OF title, body, state, last_activity_at, community_id
ON threads FOR EACH ROW EXECUTE FUNCTION search_log_threads();

CREATE FUNCTION search_log_replies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('reply', OLD.id::text, now());
        RETURN OLD;
    END IF;
    INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('reply', NEW.id::text, now());
    RETURN NEW;
END
$$;
CREATE TRIGGER search_replies
AFTER INSERT OR DELETE OR UPDATE OF body, state, thread_id
ON replies FOR EACH ROW EXECUTE FUNCTION search_log_replies();

-- Public schemes (withdrawing one is an update).
CREATE FUNCTION search_log_public_schemes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('public_scheme', OLD.slug, now());
        RETURN OLD;
    END IF;
    INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('public_scheme', NEW.slug, now());
    RETURN NEW;
END
$$;
CREATE TRIGGER search_public_schemes
AFTER INSERT OR DELETE OR UPDATE ON public_schemes
FOR EACH ROW EXECUTE FUNCTION search_log_public_schemes();
