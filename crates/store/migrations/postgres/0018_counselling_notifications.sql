-- Counsellors hear of a new request, and a member hears that theirs was
-- closed: two more notification kinds (the list is whole).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('join_approved', 'waitlist_promoted', 'thread_reply', 'announcement', 'ballot_reminder', 'opinion_answered',
        'counselling_assigned', 'counselling_reply', 'counselling_member_message', 'petition_message', 'fund_claim_decided',
        'organisation_claim_approved', 'organisation_claim_declined', 'counselling_requested', 'counselling_closed'));
