//! Running the `tsunagari` binary in tests, as an operator would.

use std::path::Path;
use std::process::{Command, Output};

/// The binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_tsunagari");

/// Runs `tsunagari args…` in `dir`, with no database or address inherited
/// from the environment.
pub fn tsunagari(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("TSUNAGARI_LOG", "warn")
        // Bigrams alone: compiling the dictionary for every data folder
        // would slow each test by seconds (the dictionary is tested by the
        // search and web tests).
        .env("TSUNAGARI_SEARCH_DICTIONARY", "")
        .env_remove("TSUNAGARI_DATABASE_URL")
        .env_remove("TSUNAGARI_BIND")
        .output()
        .expect("run tsunagari")
}

/// What it printed on stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What it printed on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
