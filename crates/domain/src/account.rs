//! People with an account: their identity and the values they choose.

use crate::{Locale, Timestamp, UserTimeZone};

/// The database id of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// An account as the rest of the system sees it. The password hash is kept
/// apart (see `PasswordHash`) so it is never handed around with the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Database id.
    pub id: UserId,
    /// Sign-in address, normalised.
    pub email: Email,
    /// The name other people see.
    pub display_name: DisplayName,
    /// Interface language.
    pub locale: Locale,
    /// Zone in which dates and times are shown.
    pub time_zone: UserTimeZone,
    /// When the account was created.
    pub created_at: Timestamp,
    /// When the profile or password last changed.
    pub updated_at: Timestamp,
}

/// An e-mail address that passed a practical syntax check.
///
/// The whole address is lower-cased: providers treat the local part
/// case-insensitively in practice, and one person must not be able to hold
/// two accounts as `Aoi@example.jp` and `aoi@example.jp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why an e-mail address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was entered.
    #[error("e-mail address is empty")]
    Empty,
    /// Longer than the 254 characters SMTP allows.
    #[error("e-mail address is too long")]
    TooLong,
    /// Not of the form `name@domain.tld`.
    #[error("e-mail address is malformed")]
    Malformed,
}

impl Email {
    /// The longest address SMTP can carry (RFC 5321 path limit minus brackets).
    pub const MAX_LEN: usize = 254;

    /// Trims, lower-cases and checks an address.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.len() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = address.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
        if local_ok && domain_ok {
            Ok(Email(address))
        } else {
            Err(EmailError::Malformed)
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, used to keep it out of passwords.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

/// The name a person is known by on the platform: a real name, a nickname or
/// a handle, in any script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

/// Why a display name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    /// Nothing but white space was entered.
    #[error("display name is empty")]
    Empty,
    /// More than `DisplayName::MAX_CHARS` characters.
    #[error("display name is too long")]
    TooLong,
    /// Contains control characters such as line breaks.
    #[error("display name contains control characters")]
    ControlCharacters,
}

impl DisplayName {
    /// Enough for a full Japanese name with a reading, or a long romanised one.
    pub const MAX_CHARS: usize = 50;

    /// Trims and checks a display name; inner white space is kept as typed.
    pub fn parse(input: &str) -> Result<DisplayName, DisplayNameError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(DisplayNameError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(DisplayNameError::ControlCharacters);
        }
        Ok(DisplayName(name.to_owned()))
    }

    /// The name as entered, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        let email = Email::parse("  Aoi.Sato@Example.JP ").unwrap();
        assert_eq!(email.as_str(), "aoi.sato@example.jp");
        assert_eq!(email.local_part(), "aoi.sato");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "aoi",
            "aoi@",
            "@example.jp",
            "aoi@example",
            "aoi@@example.jp",
            "ao i@example.jp",
            "aoi@exa mple.jp",
            "aoi@-example.jp",
            ".aoi@example.jp",
            "a..b@example.jp",
            "aoi@example.123",
            "佐藤@example.jp",
            "aoi@example..jp",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        let long = format!("{}@example.jp", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn plausible_emails_are_accepted() {
        for good in [
            "a@b.jp",
            "first.last+tag@mail.example.co.jp",
            "x_y-z@sub-domain.example.com",
        ] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn display_name_rules() {
        assert_eq!(
            DisplayName::parse("  佐藤 葵 ").unwrap().as_str(),
            "佐藤 葵"
        );
        assert_eq!(DisplayName::parse(" "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse("a\nb"),
            Err(DisplayNameError::ControlCharacters)
        );
        assert!(DisplayName::parse(&"あ".repeat(50)).is_ok());
        assert_eq!(
            DisplayName::parse(&"あ".repeat(51)),
            Err(DisplayNameError::TooLong)
        );
    }
}
