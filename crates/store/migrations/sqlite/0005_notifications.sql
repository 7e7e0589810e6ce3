-- In-app notifications.

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement')),
    subject    TEXT NOT NULL,
    link       TEXT NOT NULL CHECK (substr(link, 1, 1) = '/'),
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user_created ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
