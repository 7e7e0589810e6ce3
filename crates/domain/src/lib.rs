//! The domain of tsunagari: the types and rules of a career mutual-support
//! platform, with no I/O, no HTTP and no SQL.
//!
//! Everything a user can type reaches the rest of the system only through a
//! newtype that validated it on construction (`Email::parse`,
//! `DisplayName::parse`, `NewPassword::parse`), so the store and the web layer
//! never see an invalid value. Rules that depend on time (session expiry,
//! login back-off) take `now` as an argument instead of reading a clock, so
//! they are plain functions that unit and property tests can drive.
//!
//! This crate must not depend on the web, the store or any async runtime.
//! Its types are deliberately not `Serialize`: the HTML and JSON layers keep
//! view types of their own, so a field added here is never published by
//! accident.
#![deny(missing_docs)]

pub mod account;
pub mod ballot;
pub mod community;
pub mod counselling;
pub mod directory;
pub mod event;
pub mod fund;
pub mod home;
pub mod locale;
pub mod login_throttle;
pub mod moderation;
pub mod notification;
pub mod opinion;
pub mod organisation;
pub mod password;
pub mod petition;
pub mod public_scheme;
pub mod region;
pub mod search;
pub mod secret_token;
pub mod selfcheck;
pub mod session;
pub mod share;
pub mod thread;
pub mod time;
pub mod tools;

pub use account::{Account, DisplayName, DisplayNameError, Email, EmailError, UserId};
pub use locale::Locale;
pub use login_throttle::{LoginThrottle, ThrottleKey};
pub use password::{NewPassword, PasswordHash, PasswordRejection};
pub use secret_token::{ApiToken, SecretToken, SessionToken, TokenHash};
pub use session::{SessionId, SessionPolicy};
pub use time::{Timestamp, UserTimeZone, UserTimeZoneError};
