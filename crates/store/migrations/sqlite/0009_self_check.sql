-- Self-check answers: drafts saved between pages (a signed-in person's, or a
-- visitor's under the hash of a cookie token) and completed results. The
-- answers are JSON written by the app; the summary columns keep what a
-- history chart and consented aggregates need without re-scoring.

CREATE TABLE self_check_drafts (
    owner      TEXT PRIMARY KEY,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    answers    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX self_check_drafts_age ON self_check_drafts (updated_at);

CREATE TABLE self_check_results (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answers             TEXT NOT NULL,
    mutual_support_ties INTEGER NOT NULL CHECK (mutual_support_ties >= 0),
    gave_up_career_move INTEGER NOT NULL CHECK (gave_up_career_move IN (0, 1)),
    future_confidence   INTEGER NOT NULL CHECK (future_confidence BETWEEN 0 AND 100),
    curiosity           INTEGER NOT NULL CHECK (curiosity BETWEEN 0 AND 100),
    self_determination  INTEGER NOT NULL CHECK (self_determination BETWEEN 0 AND 100),
    allocation_shift    INTEGER NOT NULL CHECK (allocation_shift BETWEEN 0 AND 100),
    created_at          TEXT NOT NULL
);
CREATE INDEX self_check_results_user ON self_check_results (user_id, created_at);
