//! Random bearer secrets: session cookies, personal access tokens, CSRF
//! tokens, calendar-feed keys.
//!
//! Only a SHA-256 digest of a session or access token is stored, so a copy
//! of the database does not let anyone act as its users. The secrets carry
//! 256 bits of randomness, so a fast unsalted digest is enough.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64 without padding (43 characters).
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl SecretToken {
    /// A fresh secret from the operating system's CSPRNG.
    pub fn generate() -> SecretToken {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SecretToken(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Wraps a secret a client presented; `None` when it cannot be one of
    /// ours (wrong length or alphabet), so junk never reaches the store.
    pub fn from_presented(text: &str) -> Option<SecretToken> {
        let ok = text.len() == 43
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| SecretToken(text.to_owned()))
    }

    /// The secret itself, to hand to its owner once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The digest under which it is stored.
    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }

    /// Compares in constant time, for CSRF tokens.
    pub fn matches(&self, other: &str) -> bool {
        let a = self.0.as_bytes();
        let b = other.as_bytes();
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 digest of a secret, hex-encoded: what the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(pub String);

/// The secret in a session cookie.
pub type SessionToken = SecretToken;

/// A personal access token for the JSON API: `tsu_` followed by a secret,
/// so it is recognisable in logs and by secret scanners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken(SecretToken);

impl ApiToken {
    const PREFIX: &'static str = "tsu_";

    /// A fresh token.
    pub fn generate() -> ApiToken {
        ApiToken(SecretToken::generate())
    }

    /// Parses an `Authorization: Bearer` value.
    pub fn from_presented(text: &str) -> Option<ApiToken> {
        text.strip_prefix(Self::PREFIX)
            .and_then(SecretToken::from_presented)
            .map(ApiToken)
    }

    /// The full token text, shown to its owner once.
    pub fn expose(&self) -> String {
        format!("{}{}", Self::PREFIX, self.0.expose())
    }

    /// The digest under which it is stored.
    pub fn hash(&self) -> TokenHash {
        self.0.hash()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_are_distinct_and_well_formed() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43);
        assert!(SecretToken::from_presented(a.expose()).is_some());
        assert_eq!(a.hash().0.len(), 64);
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn junk_is_not_a_secret() {
        assert!(SecretToken::from_presented("short").is_none());
        assert!(SecretToken::from_presented(&"é".repeat(43)).is_none());
        assert!(SecretToken::from_presented(&"a".repeat(44)).is_none());
    }

    #[test]
    fn api_tokens_round_trip_with_prefix() {
        let token = ApiToken::generate();
        let text = token.expose();
        assert!(text.starts_with("tsu_"));
        assert_eq!(ApiToken::from_presented(&text), Some(token.clone()));
        assert!(ApiToken::from_presented(&text[4..]).is_none());
    }

    #[test]
    fn matches_compares_exactly() {
        let a = SecretToken::generate();
        assert!(a.matches(a.expose()));
        assert!(!a.matches(SecretToken::generate().expose()));
        assert!(!a.matches(""));
    }
}
