-- Organisers' choices of which tools are on in their community, read with
-- the community's row (the front page needs them and must not pay for a
-- query more): lines of `tool=1` or `tool=0`. A tool without a line is on
-- or off as its kind's default says (domain `tools::enabled_tools`), so a
-- tool added to a kind's defaults later reaches existing communities too.
ALTER TABLE communities ADD COLUMN tool_choices TEXT NOT NULL DEFAULT '';
