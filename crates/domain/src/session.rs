//! When a signed-in session stops being valid.

use chrono::Duration;

use crate::Timestamp;

/// The database id of a session, used to list and end sessions without
/// exposing their secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub i64);

/// Session lifetime rules: a session ends 30 days after sign-in at the
/// latest, or after 12 hours without use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Longest life of a session from sign-in.
    pub absolute: Duration,
    /// Longest gap between two uses.
    pub idle: Duration,
    /// How stale `last_seen_at` may get before a request refreshes it; saves
    /// a database write on every request.
    pub touch_interval: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            absolute: Duration::days(30),
            idle: Duration::hours(12),
            touch_interval: Duration::minutes(1),
        }
    }
}

impl SessionPolicy {
    /// The absolute expiry of a session started at `created_at`.
    pub fn expires_at(&self, created_at: Timestamp) -> Timestamp {
        created_at + self.absolute
    }

    /// True while a session may still be used.
    pub fn is_active(
        &self,
        expires_at: Timestamp,
        last_seen_at: Timestamp,
        now: Timestamp,
    ) -> bool {
        now < expires_at && now < last_seen_at + self.idle
    }

    /// True when this request should record the session as seen.
    pub fn needs_touch(&self, last_seen_at: Timestamp, now: Timestamp) -> bool {
        now - last_seen_at >= self.touch_interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hours: i64) -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
    }

    #[test]
    fn idle_sessions_end_after_twelve_hours() {
        let policy = SessionPolicy::default();
        let expires = policy.expires_at(at(0));
        assert!(policy.is_active(expires, at(0), at(11)));
        assert!(!policy.is_active(expires, at(0), at(12)));
        assert!(policy.is_active(expires, at(10), at(21)));
    }

    #[test]
    fn sessions_end_after_thirty_days_even_when_used() {
        let policy = SessionPolicy::default();
        let expires = policy.expires_at(at(0));
        let day = 24;
        assert!(policy.is_active(expires, at(30 * day - 1), at(30 * day - 1)));
        assert!(!policy.is_active(expires, at(30 * day), at(30 * day)));
    }

    #[test]
    fn touch_only_after_the_interval() {
        let policy = SessionPolicy::default();
        assert!(!policy.needs_touch(at(0), at(0) + Duration::seconds(59)));
        assert!(policy.needs_touch(at(0), at(0) + Duration::seconds(60)));
    }
}
