//! The `tsunagari` binary: `serve`, `migrate`, `demo`, `backup`, `import`,
//! `admin`.
//!
//! Thin on purpose: it reads configuration, opens the store and hands over
//! to the web and app crates. Every failure ends in one line on stderr and
//! a non-zero exit code.

mod settings;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use tsunagari_app::demo::{self, DemoOutcome};
use tsunagari_app::{
    Accounts, AppError, ImportMode, ImportReport, Organisations, PublicSchemes, RoleChange, Search,
    SiteOperators,
};
use tsunagari_store::Store;
use tsunagari_web::App;

use crate::settings::Settings;

// The system allocator spent a sixth of a page request in malloc/free under
// load (bench/community_page.sh); mimalloc's thread-local heaps avoid that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// tsunagari — a self-hostable platform for career mutual support.
#[derive(Parser, Debug)]
#[command(name = "tsunagari", version, propagate_version = true)]
struct Cli {
    /// Configuration file [default: tsunagari.toml in the working directory, when present]
    #[arg(long, global = true, env = "TSUNAGARI_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Database: sqlite://FILE (or just a file name) or postgres://USER:PASSWORD@HOST/DB
    /// [default: sqlite://tsunagari.db]
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (applies pending migrations first)
    Serve(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate,
    /// Load demo data into an empty database and exit
    Demo,
    /// Write a consistent copy of the SQLite database, safe while the server runs
    Backup(BackupArgs),
    /// Import data files into the database
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Rebuild this server's search index from the database (stop the
    /// server first: it holds the index open)
    Reindex,
    /// Site administration: who operates this server
    Admin {
        #[command(subcommand)]
        task: AdminCommand,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Make an account a site operator (approves claims of directory listings)
    GrantOperator(OperatorArgs),
    /// Take the site-operator role from an account
    RevokeOperator(OperatorArgs),
}

#[derive(Args, Debug)]
struct OperatorArgs {
    /// The account's e-mail address
    #[arg(value_name = "EMAIL")]
    email: String,
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Add or update public schemes (公助) from a TOML file in the format of
    /// data/public-schemes.toml; all or nothing
    PublicSchemes(PublicSchemesArgs),
    /// Add or update organisations of the directory from a TOML file in the
    /// format of data/organisations.toml; all or nothing
    Organisations(PublicSchemesArgs),
}

#[derive(Args, Debug)]
struct PublicSchemesArgs {
    /// The TOML file: [[scheme]] (or [[organisation]]) entries
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Also withdraw every entry the file does not contain (shipped ones included)
    #[arg(long)]
    replace: bool,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR:PORT")]
    bind: Option<SocketAddr>,
    /// Load demo data first when the database is empty
    #[arg(long)]
    demo: bool,
}

#[derive(Args, Debug)]
struct BackupArgs {
    /// File to write (must not exist yet)
    #[arg(long, value_name = "FILE")]
    to: PathBuf,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let rendered = error.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            eprintln!("{first} (see 'tsunagari --help')");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line.
fn one_line(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

async fn run(cli: Cli) -> Result<()> {
    let settings = Settings::load(cli.config.as_deref(), cli.database.as_deref())?;
    settings::init_logging(&settings)?;
    match cli.command {
        Command::Serve(args) => serve(settings, args).await,
        Command::Migrate => {
            let store = open(&settings).await?;
            store.close().await;
            println!("migrations applied to {}", settings.database_display());
            Ok(())
        }
        Command::Import {
            what: ImportCommand::PublicSchemes(args),
        } => {
            let text = std::fs::read_to_string(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let store = open(&settings).await?;
            let mode = if args.replace {
                ImportMode::Replace
            } else {
                ImportMode::Merge
            };
            let result = PublicSchemes::new(store.clone()).import(&text, mode).await;
            store.close().await;
            let report = result.with_context(|| {
                format!("cannot import public schemes from {}", args.file.display())
            })?;
            println!(
                "public schemes imported from {}: {}",
                args.file.display(),
                describe(&report)
            );
            Ok(())
        }
        Command::Reindex => {
            let store = open(&settings).await?;
            let result = reindex(&settings, &store).await;
            store.close().await;
            result
        }
        Command::Import {
            what: ImportCommand::Organisations(args),
        } => {
            let text = std::fs::read_to_string(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let store = open(&settings).await?;
            let mode = if args.replace {
                ImportMode::Replace
            } else {
                ImportMode::Merge
            };
            let result = Organisations::new(store.clone()).import(&text, mode).await;
            store.close().await;
            let report = result.with_context(|| {
                format!("cannot import organisations from {}", args.file.display())
            })?;
            println!(
                "organisations imported from {}: {}",
                args.file.display(),
                describe(&report)
            );
            Ok(())
        }
        Command::Admin { task } => {
            let store = open(&settings).await?;
            let operators = SiteOperators::new(store.clone());
            let (email, result) = match &task {
                AdminCommand::GrantOperator(args) => {
                    (&args.email, operators.grant(&args.email).await)
                }
                AdminCommand::RevokeOperator(args) => {
                    (&args.email, operators.revoke(&args.email).await)
                }
            };
            store.close().await;
            let change = result.map_err(|error| match error {
                AppError::NotFound => anyhow::anyhow!("no account has the e-mail address {email}"),
                AppError::Invalid(_) => anyhow::anyhow!("{email} is not an e-mail address"),
                other => anyhow::Error::new(other).context("cannot change the site-operator role"),
            })?;
            let granting = matches!(task, AdminCommand::GrantOperator(_));
            println!(
                "{}",
                match (granting, change) {
                    (true, RoleChange::Changed) => format!("{email} is now a site operator"),
                    (true, RoleChange::AlreadySo) => format!("{email} was already a site operator"),
                    (false, RoleChange::Changed) => format!("{email} is no longer a site operator"),
                    (false, RoleChange::AlreadySo) => format!("{email} was not a site operator"),
                }
            );
            Ok(())
        }
        Command::Demo => {
            let store = open(&settings).await?;
            let result = load_demo(&store).await;
            store.close().await;
            result
        }
        Command::Backup(args) => {
            if settings.database_url.starts_with("postgres") {
                anyhow::bail!(
                    "tsunagari backup copies the embedded SQLite database only; back up PostgreSQL with pg_dump, e.g. pg_dump --format=custom --file=tsunagari.dump \"$DATABASE_URL\""
                );
            }
            let store = tsunagari_store::connect(&settings.database_url)
                .await
                .with_context(|| {
                    format!("cannot open the database {}", settings.database_display())
                })?;
            let result = store.backup_to(&args.to).await;
            store.close().await;
            result.context("backup failed")?;
            println!("backup written to {}", args.to.display());
            Ok(())
        }
    }
}

/// Connects, applies migrations and brings in the shipped catalogue of
/// public schemes (leaving the operator's imports alone).
async fn open(settings: &Settings) -> Result<Arc<dyn Store>> {
    let store = tsunagari_store::connect(&settings.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_display()))?;
    store
        .migrate()
        .await
        .context("cannot apply database migrations")?;
    let report = PublicSchemes::new(store.clone())
        .load_shipped()
        .await
        .context("cannot load the shipped public-scheme catalogue")?;
    // Usually nothing changes; say so only when something did.
    if report.added + report.updated + report.removed > 0 {
        tracing::info!(
            added = report.added,
            updated = report.updated,
            unchanged = report.unchanged,
            kept = report.kept,
            removed = report.removed,
            "shipped public-scheme catalogue loaded"
        );
    }
    let report = Organisations::new(store.clone())
        .load_shipped()
        .await
        .context("cannot load the shipped organisation directory")?;
    if report.added + report.updated + report.removed > 0 {
        tracing::info!(
            added = report.added,
            updated = report.updated,
            unchanged = report.unchanged,
            kept = report.kept,
            removed = report.removed,
            "shipped organisation directory loaded"
        );
    }
    Ok(store)
}

/// Rebuilds the search index the settings name and says where it is.
async fn reindex(settings: &Settings, store: &Arc<dyn Store>) -> Result<()> {
    let search_settings = settings.search_settings();
    let search = Search::open(store.clone(), &search_settings)
        .await
        .context("cannot open the search index (is a server running with it? stop it first)")?;
    let documents = search
        .rebuild()
        .await
        .context("rebuilding the search index failed")?;
    let place = search_settings
        .dir
        .map(|d| d.display().to_string())
        .unwrap_or_else(|| "memory".to_owned());
    println!(
        "search index rebuilt: {documents} documents in {place} ({})",
        search.mode()
    );
    Ok(())
}

/// An import's counts in one line.
fn describe(report: &ImportReport) -> String {
    format!(
        "{} in the file; {} added, {} updated, {} unchanged, {} withdrawn",
        report.in_file, report.added, report.updated, report.unchanged, report.removed
    )
}

async fn load_demo(store: &Arc<dyn Store>) -> Result<()> {
    match demo::load(&Accounts::new(store.clone()))
        .await
        .context("loading demo data failed")?
    {
        DemoOutcome::Loaded {
            accounts,
            communities,
        } => {
            println!(
                "demo data loaded: {accounts} accounts and {communities} communities; every account's password is {}",
                demo::DEMO_PASSWORD
            );
            for (email, name, _) in demo::DEMO_PEOPLE {
                println!("  {email}  {name}");
            }
        }
        DemoOutcome::SkippedNotEmpty => {
            println!("demo data not loaded: the database already has accounts")
        }
    }
    Ok(())
}

async fn serve(settings: Settings, args: ServeArgs) -> Result<()> {
    let store = open(&settings).await?;
    if args.demo {
        load_demo(&store).await?;
    }
    let mut config = settings.server_config()?;
    if let Some(bind) = args.bind {
        config.bind = bind;
    }
    let app = App::build(config, store.clone()).await?;
    let address = app.local_addr();
    tracing::info!(%address, database = %settings.database_display(), "tsunagari started");
    // Handlers are installed before anyone is told the address: a SIGTERM
    // that arrives while the server is still starting its background work
    // must stop it gracefully, not kill it.
    let shutdown = shutdown_signal();
    println!("tsunagari listening on http://{address}");
    app.run(shutdown)
        .await
        .context("the server stopped with an error")?;
    store.close().await;
    tracing::info!("tsunagari stopped");
    Ok(())
}

/// A future that completes on Ctrl-C or SIGTERM. The SIGTERM handler is
/// registered when this is called, not when the future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
