//! Points in time and the time zone a person reads them in.
//!
//! Timestamps are stored in UTC and shown in the reader's zone, Asia/Tokyo
//! unless they chose another.

use chrono::{DateTime, SubsecRound, Utc};
use chrono_tz::Tz;

/// A point in time, always UTC.
pub type Timestamp = DateTime<Utc>;

/// The current time, truncated to microseconds.
///
/// PostgreSQL keeps microseconds; truncating here means a value read back
/// from either database equals the value written.
pub fn now() -> Timestamp {
    Utc::now().trunc_subsecs(6)
}

/// The IANA time zone in which a person sees dates and times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserTimeZone(Tz);

/// A time zone name that is not in the IANA database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone")]
pub struct UserTimeZoneError;

impl UserTimeZone {
    /// Japan Standard Time, the default for everyone.
    pub const TOKYO: UserTimeZone = UserTimeZone(chrono_tz::Asia::Tokyo);

    /// The zones offered in the settings form: where Japanese workers and
    /// their communities most often live. Any IANA name is accepted through
    /// the API.
    pub const OFFERED: &'static [&'static str] = &[
        "Asia/Tokyo",
        "UTC",
        "Asia/Seoul",
        "Asia/Shanghai",
        "Asia/Taipei",
        "Asia/Hong_Kong",
        "Asia/Manila",
        "Asia/Bangkok",
        "Asia/Ho_Chi_Minh",
        "Asia/Singapore",
        "Asia/Jakarta",
        "Asia/Kolkata",
        "Asia/Dubai",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Pacific/Honolulu",
        "America/Los_Angeles",
        "America/Denver",
        "America/Chicago",
        "America/New_York",
        "America/Sao_Paulo",
        "Europe/London",
        "Europe/Paris",
        "Europe/Berlin",
        "Europe/Copenhagen",
        "Europe/Helsinki",
    ];

    /// Parses an IANA zone name such as `Asia/Tokyo`.
    pub fn parse(name: &str) -> Result<Self, UserTimeZoneError> {
        name.trim()
            .parse::<Tz>()
            .map(UserTimeZone)
            .map_err(|_| UserTimeZoneError)
    }

    /// The IANA name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The chrono-tz zone, for converting timestamps.
    pub fn tz(&self) -> Tz {
        self.0
    }
}

impl Default for UserTimeZone {
    fn default() -> Self {
        Self::TOKYO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_zone_parses() {
        for name in UserTimeZone::OFFERED {
            assert_eq!(UserTimeZone::parse(name).unwrap().name(), *name);
        }
    }

    #[test]
    fn unknown_zone_is_refused() {
        assert_eq!(UserTimeZone::parse("Mars/Olympus"), Err(UserTimeZoneError));
        assert_eq!(UserTimeZone::parse(""), Err(UserTimeZoneError));
    }

    #[test]
    fn default_is_tokyo() {
        assert_eq!(UserTimeZone::default().name(), "Asia/Tokyo");
    }

    #[test]
    fn now_has_no_sub_microsecond_part() {
        use chrono::Timelike;
        assert_eq!(now().nanosecond() % 1_000, 0);
    }
}
