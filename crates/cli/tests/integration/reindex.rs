//! `tsunagari reindex` as an operator runs it.

use crate::common;

use common::{stderr, stdout, tsunagari};

#[test]
fn reindex_rebuilds_the_index_beside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    // Bigrams alone keeps this quick; the dictionary is tested elsewhere.
    let run = |args: &[&str]| {
        std::process::Command::new(common::BIN)
            .args(args)
            .current_dir(dir.path())
            .env("TSUNAGARI_LOG", "warn")
            .env("TSUNAGARI_SEARCH_DICTIONARY", "")
            .env_remove("TSUNAGARI_DATABASE_URL")
            .env_remove("TSUNAGARI_SEARCH_DIR")
            .output()
            .expect("run tsunagari")
    };
    let migrated = run(&["--database", "t.db", "migrate"]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    let output = run(&["--database", "t.db", "reindex"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    // The shipped public-help catalogue is indexed.
    assert!(printed.starts_with("search index rebuilt: "), "{printed}");
    let count: u64 = printed["search index rebuilt: ".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(count > 5, "{printed}");
    assert!(
        printed.contains("t.db.search") && printed.contains("(bigram)"),
        "{printed}"
    );
    assert!(dir.path().join("t.db.search").is_dir());

    // A bad database is one line on stderr and a failure, as for every command.
    let failed = tsunagari(
        dir.path(),
        &[
            "--database",
            "postgres://nobody@127.0.0.1:1/none",
            "reindex",
        ],
    );
    assert!(!failed.status.success());
    assert_eq!(stderr(&failed).lines().count(), 1, "{}", stderr(&failed));
}
