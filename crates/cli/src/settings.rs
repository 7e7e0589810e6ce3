//! Configuration: defaults, then `tsunagari.toml`, then `TSUNAGARI_*`
//! environment variables, then command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use tsunagari_app::SearchSettings;
use tsunagari_web::ServerConfig;

/// Everything configurable.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `sqlite://FILE` or `postgres://…`.
    pub database_url: String,
    /// Listen address.
    pub bind: String,
    /// Public address, e.g. `https://tsunagari.example.jp`.
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-*` headers from a reverse proxy.
    pub trust_proxy_headers: bool,
    /// Seconds before a request is abandoned.
    pub request_timeout_secs: u64,
    /// Log filter, e.g. `info` or `tsunagari_web=debug,info`.
    pub log: String,
    /// `json` (default) or `text`.
    pub log_format: String,
    /// The search index's folder; by default beside the SQLite file
    /// (`FILE.search`), or `tsunagari-search` in the working directory for
    /// PostgreSQL (each server keeps its own).
    pub search_dir: Option<String>,
    /// IPADIC sources for whole-word Japanese matching (Debian's
    /// mecab-ipadic); empty turns it off (bigrams alone).
    pub search_dictionary: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://tsunagari.db".to_owned(),
            bind: "127.0.0.1:8080".to_owned(),
            public_url: None,
            trust_proxy_headers: false,
            request_timeout_secs: 30,
            log: "info".to_owned(),
            log_format: "json".to_owned(),
            search_dir: None,
            search_dictionary: tsunagari_search::DEBIAN_IPADIC.to_owned(),
        }
    }
}

impl Settings {
    /// Reads the layers. A config file named with `--config` must exist;
    /// the default `tsunagari.toml` is optional.
    pub fn load(config_file: Option<&Path>, database_flag: Option<&str>) -> Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match config_file {
            Some(path) => {
                if !path.exists() {
                    bail!("configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("tsunagari.toml")),
        }
        let mut settings: Settings = figment
            .merge(Env::prefixed("TSUNAGARI_").only(&[
                "database_url",
                "bind",
                "public_url",
                "trust_proxy_headers",
                "request_timeout_secs",
                "log",
                "log_format",
                "search_dir",
                "search_dictionary",
            ]))
            .extract()
            .map_err(|e| {
                anyhow::anyhow!(
                    "invalid configuration: {}",
                    e.to_string().replace('\n', "; ")
                )
            })?;
        if let Some(url) = database_flag {
            settings.database_url = url.to_owned();
        }
        settings.database_url = normalise_database_url(&settings.database_url);
        Ok(settings)
    }

    /// The server part.
    pub fn server_config(&self) -> Result<ServerConfig> {
        let bind: SocketAddr = self.bind.parse().with_context(|| {
            format!(
                "invalid bind address '{}' (expected ADDRESS:PORT)",
                self.bind
            )
        })?;
        Ok(ServerConfig {
            bind,
            public_url: self.public_url.clone(),
            trust_proxy_headers: self.trust_proxy_headers,
            request_timeout: Duration::from_secs(self.request_timeout_secs.max(1)),
            search: self.search_settings(),
        })
    }

    /// Where the search index goes and which dictionary it uses.
    pub fn search_settings(&self) -> SearchSettings {
        let dictionary = self.search_dictionary.trim();
        SearchSettings {
            dir: self
                .search_dir
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(PathBuf::from)
                .or_else(|| default_search_dir(&self.database_url)),
            dictionary_source: (!dictionary.is_empty()).then(|| PathBuf::from(dictionary)),
            dictionary_cache: None,
        }
    }

    /// The database URL without its password.
    pub fn database_display(&self) -> String {
        tsunagari_store::redact_password(&self.database_url)
    }
}

/// The index beside a SQLite file (`FILE.search`); a folder in the working
/// directory for PostgreSQL; in memory for an in-memory database.
fn default_search_dir(database_url: &str) -> Option<PathBuf> {
    if database_url.starts_with("postgres") {
        return Some(PathBuf::from("tsunagari-search"));
    }
    let path = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    Some(PathBuf::from(format!("{path}.search")))
}

/// A bare file name means a SQLite file.
fn normalise_database_url(url: &str) -> String {
    if url.contains("://") || url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}")
    }
}

/// Structured logs on stderr (stdout is kept for the command's own output).
pub fn init_logging(settings: &Settings) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(&settings.log)
        .with_context(|| format!("invalid log filter '{}'", settings.log))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match settings.log_format.as_str() {
        "json" => builder.json().try_init(),
        "text" => builder.try_init(),
        other => bail!("invalid log format '{other}' (expected json or text)"),
    };
    result.map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{default_search_dir, normalise_database_url};
    use std::path::PathBuf;

    #[test]
    fn the_search_index_goes_beside_the_database() {
        assert_eq!(
            default_search_dir("sqlite://data/t.db"),
            Some(PathBuf::from("data/t.db.search"))
        );
        assert_eq!(
            default_search_dir("sqlite:///var/lib/t.db?mode=rwc"),
            Some(PathBuf::from("/var/lib/t.db.search"))
        );
        assert_eq!(default_search_dir("sqlite::memory:"), None);
        assert_eq!(
            default_search_dir("postgres://a@b/c"),
            Some(PathBuf::from("tsunagari-search"))
        );
    }

    #[test]
    fn bare_file_names_are_sqlite() {
        assert_eq!(normalise_database_url("data/t.db"), "sqlite://data/t.db");
        assert_eq!(
            normalise_database_url("postgres://a@b/c"),
            "postgres://a@b/c"
        );
        assert_eq!(normalise_database_url("sqlite::memory:"), "sqlite::memory:");
    }
}
