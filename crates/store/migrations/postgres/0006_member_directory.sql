-- Per-community member profiles with per-field visibility, and volunteer
-- roles members can take ("a place of your own").

CREATE TABLE member_profiles (
    community_id          BIGINT NOT NULL,
    user_id               BIGINT NOT NULL,
    occupation            TEXT NOT NULL DEFAULT '',
    prefecture            TEXT CHECK (prefecture IS NULL OR length(prefecture) = 2),
    bio                   TEXT NOT NULL DEFAULT '',
    name_visibility       TEXT NOT NULL DEFAULT 'members' CHECK (name_visibility IN ('everyone', 'members', 'organisers', 'hidden')),
    occupation_visibility TEXT NOT NULL DEFAULT 'members' CHECK (occupation_visibility IN ('everyone', 'members', 'organisers', 'hidden')),
    region_visibility     TEXT NOT NULL DEFAULT 'members' CHECK (region_visibility IN ('everyone', 'members', 'organisers', 'hidden')),
    bio_visibility        TEXT NOT NULL DEFAULT 'members' CHECK (bio_visibility IN ('everyone', 'members', 'organisers', 'hidden')),
    updated_at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE
);

CREATE TABLE volunteer_roles (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
    description  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, name)
);

CREATE TABLE volunteer_assignments (
    role_id      BIGINT NOT NULL REFERENCES volunteer_roles (id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    since        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (role_id, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE
);
CREATE INDEX volunteer_assignments_member ON volunteer_assignments (community_id, user_id);
