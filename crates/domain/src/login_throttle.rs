//! Back-off for failed logins, per client address and per account.
//!
//! Ten failures are free (people mistype); after that each further failure
//! locks logins for twice as long as the last, from one minute up to an
//! hour. Counting per account stops a slow guess at one password from many
//! addresses; counting per address stops one client spraying many accounts.
//! A quiet day forgets the count.

use std::net::IpAddr;

use chrono::Duration;

use crate::{Email, Timestamp};

/// What a failure is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// A client address. IPv6 clients are counted per /64, the block one
    /// household or device usually gets.
    Client(IpAddr),
    /// An account, by the e-mail address typed (whether or not it exists, so
    /// the lock does not reveal which addresses have accounts).
    Account(Email),
}

impl ThrottleKey {
    /// The key as stored.
    pub fn storage_key(&self) -> String {
        match self {
            ThrottleKey::Client(IpAddr::V4(v4)) => format!("ip:{v4}"),
            ThrottleKey::Client(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("ip6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            ThrottleKey::Account(email) => format!("account:{}", email.as_str()),
        }
    }
}

/// The back-off rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures allowed before the first lock.
    pub free_failures: u32,
    /// Length of the first lock.
    pub first_lock: Duration,
    /// Longest lock.
    pub longest_lock: Duration,
    /// A count with no failure for this long starts again from zero.
    pub forget_after: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            free_failures: 10,
            first_lock: Duration::minutes(1),
            longest_lock: Duration::hours(1),
            forget_after: Duration::hours(24),
        }
    }
}

impl LoginThrottle {
    /// How long logins are locked after the `failures`-th consecutive
    /// failure; `None` while still within the free failures.
    pub fn lock_after(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_failures)?;
        // 2^over, without overflow: past 2^20 minutes we are long past the cap.
        let factor = 1i32 << over.min(20);
        Some((self.first_lock * factor).min(self.longest_lock))
    }

    /// Failures recorded before this moment no longer count.
    pub fn forget_before(&self, now: Timestamp) -> Timestamp {
        now - self.forget_after
    }

    /// Whole seconds until logins are allowed again, rounded up; `None` when
    /// not locked.
    pub fn retry_after(&self, locked_until: Option<Timestamp>, now: Timestamp) -> Option<u64> {
        let remaining = locked_until? - now;
        if remaining <= Duration::zero() {
            return None;
        }
        let millis = remaining.num_milliseconds().max(1) as u64;
        Some(millis.div_ceil(1000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_ten_failures_are_free_then_doubling() {
        let rule = LoginThrottle::default();
        assert_eq!(rule.lock_after(9), None);
        assert_eq!(rule.lock_after(10), Some(Duration::minutes(1)));
        assert_eq!(rule.lock_after(11), Some(Duration::minutes(2)));
        assert_eq!(rule.lock_after(13), Some(Duration::minutes(8)));
        assert_eq!(rule.lock_after(16), Some(Duration::hours(1)));
        assert_eq!(rule.lock_after(u32::MAX), Some(Duration::hours(1)));
    }

    #[test]
    fn retry_after_rounds_up() {
        let rule = LoginThrottle::default();
        let now = crate::time::now();
        assert_eq!(
            rule.retry_after(Some(now + Duration::milliseconds(1500)), now),
            Some(2)
        );
        assert_eq!(rule.retry_after(Some(now), now), None);
        assert_eq!(rule.retry_after(None, now), None);
    }

    #[test]
    fn keys_separate_kinds_and_group_ipv6() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(
            ThrottleKey::Client(a).storage_key(),
            ThrottleKey::Client(b).storage_key()
        );
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(ThrottleKey::Client(v4).storage_key(), "ip:192.0.2.7");
        let email = Email::parse("aoi@example.jp").unwrap();
        assert_eq!(
            ThrottleKey::Account(email).storage_key(),
            "account:aoi@example.jp"
        );
    }

    proptest! {
        #[test]
        fn locks_never_shrink_and_never_exceed_the_cap(failures in 0u32..200) {
            let rule = LoginThrottle::default();
            let this = rule.lock_after(failures).unwrap_or(Duration::zero());
            let next = rule.lock_after(failures + 1).unwrap_or(Duration::zero());
            prop_assert!(next >= this);
            prop_assert!(next <= rule.longest_lock);
        }

        #[test]
        fn retry_after_is_positive_exactly_while_locked(offset_ms in -100_000i64..100_000) {
            let rule = LoginThrottle::default();
            let now = crate::time::now();
            let until = now + Duration::milliseconds(offset_ms);
            match rule.retry_after(Some(until), now) {
                Some(secs) => {
                    prop_assert!(offset_ms > 0);
                    prop_assert!(secs * 1000 >= offset_ms as u64);
                    prop_assert!(secs * 1000 < offset_ms as u64 + 1000);
                }
                None => prop_assert!(offset_ms <= 0),
            }
        }
    }
}
