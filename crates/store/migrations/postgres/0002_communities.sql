-- Communities of the six kinds, their tags and memberships.

CREATE TABLE communities (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('professional', 'corporate_alumni', 'regional_alumni', 'npo', 'worker_coop', 'union')),
    name          TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    description   TEXT NOT NULL DEFAULT '',
    prefecture    TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    municipality  TEXT CHECK (municipality IS NULL OR length(municipality) = 5),
    visibility    TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    membership    TEXT NOT NULL CHECK (membership IN ('open', 'approval')),
    join_question TEXT,
    company_name  TEXT,
    parent_id     BIGINT REFERENCES communities (id) ON DELETE RESTRICT,
    depth         INTEGER NOT NULL DEFAULT 0 CHECK (depth BETWEEN 0 AND 3),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX communities_kind ON communities (kind);
CREATE INDEX communities_prefecture ON communities (prefecture);
CREATE INDEX communities_parent ON communities (parent_id);

CREATE TABLE community_tags (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    tag_key      TEXT NOT NULL,
    PRIMARY KEY (community_id, tag_key)
);
CREATE INDEX community_tags_key ON community_tags (tag_key);

CREATE TABLE memberships (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'organiser', 'member')),
    status       TEXT NOT NULL CHECK (status IN ('active', 'pending', 'banned')),
    join_answer  TEXT,
    joined_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
-- Exactly one owner at most per community, enforced by the database.
CREATE UNIQUE INDEX memberships_one_owner ON memberships (community_id) WHERE role = 'owner';
