-- Organisers' choices of which tools are on in their community. A tool
-- without a row is on or off as its kind's default says (domain
-- `tools::enabled_tools`), so adding a tool to a kind's defaults later
-- reaches existing communities too.
CREATE TABLE community_tools (
    community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    tool         TEXT NOT NULL CHECK (tool IN ('ballots', 'opinions', 'shares', 'counselling', 'petitions', 'fund')),
    enabled      INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (community_id, tool)
);
