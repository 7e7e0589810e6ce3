//! Server settings that the web layer needs (the CLI fills them from the
//! config file, the environment and flags).

use std::net::SocketAddr;
use std::time::Duration;

use tsunagari_domain::ballot::BallotSecret;

/// How the HTTP server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// The address people use to reach the server, e.g.
    /// `https://tsunagari.example.jp`. When it is `https`, cookies are
    /// marked `Secure` and HSTS is sent.
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-For` and `X-Forwarded-Proto` from a reverse proxy.
    /// Only enable behind a proxy that sets them, or clients can forge their
    /// address and dodge the login back-off.
    pub trust_proxy_headers: bool,
    /// Longest time a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// The key of secret-ballot choices: kept out of the database, the same
    /// on every server of a deployment. The default is random, which suits
    /// one server that never restarts (tests); the CLI reads it from the
    /// configuration or a key file.
    pub ballot_secret: BallotSecret,
    /// Where the search index lives and which dictionary it uses (the
    /// default keeps it in memory, bigrams alone).
    pub search: tsunagari_app::SearchSettings,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            trust_proxy_headers: false,
            request_timeout: Duration::from_secs(30),
            ballot_secret: BallotSecret::generate().0,
            search: Default::default(),
        }
    }
}

impl ServerConfig {
    /// True when the public address is HTTPS.
    pub fn served_over_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}
