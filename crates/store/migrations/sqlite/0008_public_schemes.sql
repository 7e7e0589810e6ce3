-- The public-help directory (公助): public career schemes, shipped with the
-- release (source 'shipped') or imported by the operator (source
-- 'operator'). Loading the shipped catalogue never touches operator rows,
-- so an operator's correction survives restarts and upgrades. A scheme an
-- operator import with --replace leaves out is withdrawn, not deleted: the
-- row stays (as an operator row) so the shipped catalogue cannot bring it
-- back, and reads skip it.
CREATE TABLE public_schemes (
    slug         TEXT PRIMARY KEY CHECK (length(slug) BETWEEN 3 AND 80),
    category     TEXT NOT NULL CHECK (category IN ('unemployment_benefit', 'training_benefit',
                     'job_seeker_support', 'vocational_training', 'job_counselling',
                     'career_consulting', 'scholarship', 'relocation_support')),
    name_ja      TEXT NOT NULL CHECK (length(name_ja) BETWEEN 1 AND 120),
    name_en      TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 120),
    audience_ja  TEXT NOT NULL CHECK (length(audience_ja) BETWEEN 1 AND 1000),
    audience_en  TEXT NOT NULL CHECK (length(audience_en) BETWEEN 1 AND 1000),
    benefit_ja   TEXT NOT NULL CHECK (length(benefit_ja) BETWEEN 1 AND 1000),
    benefit_en   TEXT NOT NULL CHECK (length(benefit_en) BETWEEN 1 AND 1000),
    url          TEXT NOT NULL CHECK (url LIKE 'https://%'),
    prefecture   TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    -- Space-separated action ids in the file's order, read with the row;
    -- public_scheme_actions is the index for "schemes fitting these actions".
    fits_actions TEXT NOT NULL DEFAULT '',
    -- Names, audiences and benefits in both languages, lower-cased and with
    -- full-width ASCII folded (PublicScheme::search_text), for substring search.
    search_text  TEXT NOT NULL,
    -- Order within the file it came from.
    position     INTEGER NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('shipped', 'operator')),
    withdrawn    INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX public_schemes_category ON public_schemes (category);

CREATE TABLE public_scheme_actions (
    slug   TEXT NOT NULL REFERENCES public_schemes (slug) ON DELETE CASCADE,
    action TEXT NOT NULL,
    PRIMARY KEY (slug, action)
);
CREATE INDEX public_scheme_actions_action ON public_scheme_actions (action);

-- One row. Every catalogue change starts by bumping its version, so
-- imports (and several servers loading the shipped catalogue at once) run
-- one at a time on both databases.
CREATE TABLE public_scheme_catalogue (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    updated_at TEXT
);
INSERT INTO public_scheme_catalogue (id, version) VALUES (1, 0);
