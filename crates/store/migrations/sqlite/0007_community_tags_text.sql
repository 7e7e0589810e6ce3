-- A community's tags, also kept on its row (newline-separated, in the order
-- given) so pages and lists read them without a second query. The
-- community_tags table stays the index for filtering by tag.
ALTER TABLE communities ADD COLUMN tags_text TEXT NOT NULL DEFAULT '';
UPDATE communities SET tags_text = COALESCE(
    (SELECT group_concat(tag, char(10)) FROM community_tags t WHERE t.community_id = communities.id), '');
