-- The directory's unclaimed listings are searchable too: log their changes
-- like the other searched tables (0014). Claims bump claim_version only,
-- which search does not read, so they log nothing; a claim's approval sets
-- community_id, which takes the listing out of search (the community it
-- became is found instead).
CREATE TRIGGER search_organisation_listings_insert AFTER INSERT ON organisation_listings
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('organisation', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_organisation_listings_update
AFTER UPDATE OF slug, kind, name_ja, name_en, description_ja, description_en, prefecture, website, company, tags_text, withdrawn, community_id
ON organisation_listings
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('organisation', CAST(NEW.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER search_organisation_listings_delete AFTER DELETE ON organisation_listings
BEGIN
    INSERT INTO search_changes (doc_type, doc_id, changed_at)
    VALUES ('organisation', CAST(OLD.id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

-- Listings loaded before this migration: an index that is already current
-- picks them up from the log like any change.
INSERT INTO search_changes (doc_type, doc_id, changed_at)
SELECT 'organisation', CAST(id AS TEXT), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') FROM organisation_listings;
