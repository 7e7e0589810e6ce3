//! Password policy and hashing.
//!
//! The policy follows NIST SP 800-63B: length matters, composition rules do
//! not, and passwords known from breaches are refused. Hashing is argon2id
//! with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), which are also
//! the `argon2` crate's defaults; the parameters are stored in each hash, so
//! raising them later keeps old hashes verifiable.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, Params};

/// The shipped list of common passwords (lower-cased, one a line). Taken
/// from the list Django distributes (BSD licence), itself drawn from public
/// breach corpora.
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .collect()
});

/// A password a person chose that meets the policy. It can only be built by
/// `NewPassword::parse`, so a weak password cannot reach the hasher.
pub struct NewPassword(String);

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejection {
    /// Fewer than `NewPassword::MIN_CHARS` characters.
    #[error("password is too short")]
    TooShort,
    /// More than `NewPassword::MAX_CHARS` characters.
    #[error("password is too long")]
    TooLong,
    /// On the list of common passwords, or a trivial variation of one.
    #[error("password is too common")]
    Common,
    /// Built from the person's own e-mail address or name.
    #[error("password contains personal information")]
    Personal,
}

impl NewPassword {
    /// Shortest accepted password, in characters.
    pub const MIN_CHARS: usize = 12;
    /// Longest accepted password, in characters; bounds the hashing work.
    pub const MAX_CHARS: usize = 128;

    /// Checks a password against the policy. `personal` holds things the
    /// password must not simply be: the e-mail's local part and the display
    /// name.
    pub fn parse(candidate: &str, personal: &[&str]) -> Result<NewPassword, PasswordRejection> {
        let chars = candidate.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordRejection::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordRejection::TooLong);
        }
        if is_common(candidate) {
            return Err(PasswordRejection::Common);
        }
        let compact = |text: &str| -> String {
            text.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let lowered = candidate.to_lowercase();
        let candidate_core = compact(strip_trailing_digits_and_symbols(&lowered));
        let is_personal = personal
            .iter()
            .map(|p| compact(p))
            .filter(|p| p.chars().count() >= 4)
            .any(|p| candidate_core == p);
        if is_personal {
            return Err(PasswordRejection::Personal);
        }
        Ok(NewPassword(candidate.to_owned()))
    }

    /// The password text, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// True when the password is on the common list, or is one of its entries
/// repeated or followed by digits and symbols ("password1234!",
/// "qwertyqwerty"), or a single character or run of one repeated.
fn is_common(candidate: &str) -> bool {
    let lowered = candidate.to_lowercase();
    if COMMON_PASSWORDS.contains(lowered.as_str()) {
        return true;
    }
    let stem = strip_trailing_digits_and_symbols(&lowered);
    if stem.is_empty() || (stem.len() != lowered.len() && COMMON_PASSWORDS.contains(stem)) {
        return true;
    }
    smallest_repeating_unit(&lowered)
        .is_some_and(|unit| unit.chars().count() <= 4 || COMMON_PASSWORDS.contains(unit))
}

fn strip_trailing_digits_and_symbols(text: &str) -> &str {
    text.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c == ' ')
}

/// The shortest string that, repeated two or more times, makes `text`.
fn smallest_repeating_unit(text: &str) -> Option<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    (1..=n / 2)
        .filter(|len| n.is_multiple_of(*len))
        .find_map(|len| {
            let unit_end = chars[len].0;
            let unit = &text[..unit_end];
            (unit.repeat(n / len) == text).then_some(unit)
        })
}

/// A password hash in PHC string format (`$argon2id$v=19$m=19456,t=2,p=1$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

/// A stored hash that cannot be read as a PHC string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored password hash is not a valid PHC string")]
pub struct CorruptPasswordHash;

impl PasswordHash {
    /// Hashes a password with argon2id and a fresh random salt. This takes
    /// tens of milliseconds of CPU by design: callers in async code run it on
    /// a blocking thread.
    pub fn create(password: &NewPassword) -> PasswordHash {
        let hasher = Argon2::from(Params::default());
        let hash = hasher
            .hash_password(password.expose().as_bytes())
            .expect("argon2id with default parameters and a 16-byte salt cannot fail");
        PasswordHash(hash.to_string())
    }

    /// Wraps a hash read from the store, checking it parses.
    pub fn from_stored(phc: String) -> Result<PasswordHash, CorruptPasswordHash> {
        argon2::PasswordHash::new(&phc).map_err(|_| CorruptPasswordHash)?;
        Ok(PasswordHash(phc))
    }

    /// True when `password` is the one this hash was made from. Uses the
    /// parameters stored in the hash, in constant time.
    pub fn verify(&self, password: &str) -> bool {
        Argon2::default()
            .verify_password(password.as_bytes(), self.0.as_str())
            .is_ok()
    }

    /// A valid hash of a random password, verified against when an e-mail
    /// address is unknown so that a failed login takes as long either way
    /// and does not reveal which addresses have accounts.
    pub fn decoy() -> &'static PasswordHash {
        static DECOY: LazyLock<PasswordHash> = LazyLock::new(|| {
            let random = crate::SecretToken::generate();
            PasswordHash::create(&NewPassword(random.expose().to_owned()))
        });
        &DECOY
    }

    /// The PHC string, for storing.
    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds() {
        assert_eq!(
            NewPassword::parse("short-pass1", &[]).unwrap_err(),
            PasswordRejection::TooShort
        );
        assert!(NewPassword::parse("kawa-no-nagare-7", &[]).is_ok());
        assert_eq!(
            NewPassword::parse(&"x7-".repeat(43), &[]).unwrap_err(),
            PasswordRejection::TooLong
        );
        // Characters, not bytes: twelve kana are long enough.
        assert!(NewPassword::parse("つながりをひろげるしごとの", &[]).is_ok());
    }

    #[test]
    fn common_passwords_and_their_variations_are_refused() {
        for common in [
            "qwerty123456",
            "1q2w3e4r5t6y",
            "Password1234",
            "password1234!",
            "iloveyou!!!!",
            "qwertyqwerty",
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "123412341234",
            "!!!!!!!!!!!!",
            "123456789012",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).unwrap_err(),
                PasswordRejection::Common,
                "{common}"
            );
        }
    }

    #[test]
    fn personal_information_is_refused() {
        let personal = ["sato.aoi.career", "佐藤葵"];
        assert_eq!(
            NewPassword::parse("Sato.Aoi.Career2026", &personal).unwrap_err(),
            PasswordRejection::Personal
        );
        assert!(NewPassword::parse("sato-likes-mountain-trails", &personal).is_ok());
    }

    #[test]
    fn hash_verifies_only_the_same_password() {
        let password = NewPassword::parse("kawa-no-nagare-7", &[]).unwrap();
        let hash = PasswordHash::create(&password);
        assert!(hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hash.verify("kawa-no-nagare-7"));
        assert!(!hash.verify("kawa-no-nagare-8"));
        let again = PasswordHash::from_stored(hash.as_phc().to_owned()).unwrap();
        assert!(again.verify("kawa-no-nagare-7"));
    }

    #[test]
    fn corrupt_stored_hash_is_detected() {
        assert!(PasswordHash::from_stored("not a hash".into()).is_err());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let password = NewPassword::parse("kawa-no-nagare-7", &[]).unwrap();
        assert!(!format!("{password:?}").contains("kawa"));
        assert!(!format!("{:?}", PasswordHash::create(&password)).contains("argon2"));
    }
}
