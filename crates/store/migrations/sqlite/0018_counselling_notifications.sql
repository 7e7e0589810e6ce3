-- Counsellors hear of a new request, and a member hears that theirs was
-- closed: two more notification kinds (the list is whole). SQLite cannot
-- change a CHECK, so the table is rebuilt with the longer list (rows and
-- ids kept).
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered',
        'counselling_assigned', 'counselling_reply', 'counselling_member_message', 'petition_message', 'fund_claim_decided',
        'organisation_claim_approved', 'organisation_claim_declined', 'counselling_requested', 'counselling_closed')),
    subject    TEXT NOT NULL,
    link       TEXT NOT NULL CHECK (substr(link, 1, 1) = '/'),
    created_at TEXT NOT NULL,
    read_at    TEXT
);
INSERT INTO notifications_new (id, user_id, kind, subject, link, created_at, read_at)
    SELECT id, user_id, kind, subject, link, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user_created ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
