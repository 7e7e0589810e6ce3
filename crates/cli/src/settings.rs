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
use tsunagari_domain::ballot::BallotSecret;
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
    /// The key of secret-ballot choices (at least 32 characters). Kept out
    /// of the database; every server of a deployment needs the same one.
    pub ballot_secret: Option<String>,
    /// The file holding that key when `ballot_secret` is not set, created
    /// on first start. Default: beside the SQLite file
    /// (`tsunagari.db.ballot-key`), or `tsunagari.ballot-key` in the
    /// working directory with PostgreSQL.
    pub ballot_secret_file: Option<String>,
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
            ballot_secret: None,
            ballot_secret_file: None,
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
                "ballot_secret",
                "ballot_secret_file",
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
            ballot_secret: self.ballot_secret()?,
            search: self.search_settings(),
        })
    }

    /// Where the ballot key file is when none is configured.
    pub fn ballot_secret_path(&self) -> PathBuf {
        if let Some(file) = &self.ballot_secret_file {
            return PathBuf::from(file);
        }
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) if !path.is_empty() && !path.starts_with(':') => {
                let path = path.split('?').next().unwrap_or(path);
                PathBuf::from(format!("{path}.ballot-key"))
            }
            _ => PathBuf::from("tsunagari.ballot-key"),
        }
    }

    /// The secret-ballot key: configured, read from its file, or created
    /// in that file (readable by the owner only) on first start.
    pub fn ballot_secret(&self) -> Result<BallotSecret> {
        if let Some(text) = &self.ballot_secret {
            return BallotSecret::from_text(text)
                .map_err(|e| anyhow::anyhow!("invalid ballot_secret: {e}"));
        }
        let path = self.ballot_secret_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => BallotSecret::from_text(&text)
                .map_err(|e| anyhow::anyhow!("invalid ballot key file {}: {e}", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let (secret, text) = BallotSecret::generate();
                write_private(&path, &text).with_context(|| {
                    format!("cannot create the ballot key file {}", path.display())
                })?;
                tracing::info!(file = %path.display(), "ballot key file created; keep a copy apart from the database backups");
                Ok(secret)
            }
            Err(error) => Err(error)
                .with_context(|| format!("cannot read the ballot key file {}", path.display())),
        }
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

/// Creates a file only its owner can read; never overwrites one.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
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
    use super::{Settings, default_search_dir, normalise_database_url};
    use std::path::PathBuf;
    use tsunagari_domain::UserId;
    use tsunagari_domain::ballot::BallotId;

    #[test]
    fn the_ballot_key_is_created_once_beside_the_sqlite_file() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            database_url: format!("sqlite://{}/t.db?mode=rwc", dir.path().display()),
            ..Settings::default()
        };
        let path = dir.path().join("t.db.ballot-key");
        assert_eq!(settings.ballot_secret_path(), path);
        let first = settings.ballot_secret().unwrap();
        assert!(path.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner reads the key");
        }
        let again = settings.ballot_secret().unwrap();
        let key = |s: &tsunagari_domain::ballot::BallotSecret| s.choice_key(BallotId(1), UserId(1));
        assert_eq!(key(&first), key(&again), "a restart keeps the key");
        let configured = Settings {
            ballot_secret: Some("x".repeat(40)),
            ..settings.clone()
        };
        assert_ne!(key(&configured.ballot_secret().unwrap()), key(&first));
        let short = Settings {
            ballot_secret: Some("short".into()),
            ..settings.clone()
        };
        assert!(short.ballot_secret().is_err());
        let postgres = Settings {
            database_url: "postgres://a@b/c".into(),
            ..Settings::default()
        };
        assert_eq!(
            postgres.ballot_secret_path(),
            std::path::PathBuf::from("tsunagari.ballot-key")
        );
    }

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
