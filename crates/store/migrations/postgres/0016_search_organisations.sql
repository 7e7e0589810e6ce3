-- The directory's unclaimed listings are searchable too: log their changes
-- like the other searched tables (0014). Claims bump claim_version only,
-- which search does not read, so they log nothing; a claim's approval sets
-- community_id, which takes the listing out of search (the community it
-- became is found instead).
CREATE FUNCTION search_log_organisation_listings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('organisation', OLD.id::text, now());
        RETURN OLD;
    END IF;
    INSERT INTO search_changes (doc_type, doc_id, changed_at) VALUES ('organisation', NEW.id::text, now());
    RETURN NEW;
END
$$;
CREATE TRIGGER search_organisation_listings
AFTER INSERT OR DELETE OR UPDATE OF slug, kind, name_ja, name_en, description_ja, description_en, prefecture, website, company, tags_text, withdrawn, community_id
ON organisation_listings FOR EACH ROW EXECUTE FUNCTION search_log_organisation_listings();

-- Listings loaded before this migration: an index that is already current
-- picks them up from the log like any change.
INSERT INTO search_changes (doc_type, doc_id, changed_at)
SELECT 'organisation', id::text, now() FROM organisation_listings;
