//! `tsunagari import public-schemes` as an operator uses it: the shipped
//! catalogue arrives with `migrate`, an import adds and corrects schemes,
//! a bad file changes nothing and says in one line which scheme and field,
//! and `--replace` withdraws what the file leaves out, for good.

use crate::common;

use common::{stderr, stdout, tsunagari};

use std::path::Path;

/// Listed schemes in the database: slug → Japanese benefit text.
fn listed(dir: &Path) -> Vec<(String, String)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}", dir.join("tsunagari.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let rows = sqlx::query_as(
            "SELECT slug, benefit_ja FROM public_schemes WHERE withdrawn = 0 ORDER BY slug",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        pool.close().await;
        rows
    })
}

fn benefit_of(dir: &Path, slug: &str) -> Option<String> {
    listed(dir)
        .into_iter()
        .find(|(s, _)| s == slug)
        .map(|(_, benefit)| benefit)
}

const HELLO_WORK: &str = r#"
[[scheme]]
slug = "hello-work"
category = "job_counselling"
name_ja = "ハローワーク"
name_en = "Hello Work"
audience_ja = "仕事を探している人"
audience_en = "Anyone looking for work"
benefit_ja = "運営者が書き直した説明です。"
benefit_en = "Rewritten by the operator."
url = "https://www.hellowork.mhlw.go.jp/"
fits_actions = ["job_change"]
"#;

const NIIGATA: &str = r#"
[[scheme]]
slug = "niigata-uturn-desk"
category = "relocation_support"
name_ja = "にいがたUターン相談窓口"
name_en = "Niigata U-turn desk"
audience_ja = "新潟県へ戻りたい人"
audience_en = "People moving back to Niigata"
benefit_ja = "仕事と住まいの相談ができます。"
benefit_en = "Advice on work and housing."
url = "https://www.pref.niigata.lg.jp/"
prefecture = "15"
fits_actions = ["relocation", "job_change"]
"#;

#[test]
fn migrate_loads_the_shipped_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["migrate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shipped = tsunagari_app::parse_catalogue(tsunagari_app::SHIPPED_CATALOGUE).unwrap();
    let listed = listed(dir.path());
    assert_eq!(listed.len(), shipped.len());
    assert!(
        benefit_of(dir.path(), "education-training-benefit-general")
            .unwrap()
            .contains("20%")
    );
    // Again: nothing changes, nothing doubles.
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    assert_eq!(self::listed(dir.path()).len(), shipped.len());
}

#[test]
fn an_import_adds_and_corrects_schemes_and_survives_restarts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("schemes.toml"),
        format!("{HELLO_WORK}{NIIGATA}"),
    )
    .unwrap();
    let output = tsunagari(dir.path(), &["import", "public-schemes", "schemes.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("2 in the file; 1 added, 1 updated, 0 unchanged, 0 withdrawn"),
        "{out}"
    );
    assert_eq!(
        benefit_of(dir.path(), "hello-work").as_deref(),
        Some("運営者が書き直した説明です。")
    );
    assert!(benefit_of(dir.path(), "niigata-uturn-desk").is_some());
    // Other shipped schemes are kept without --replace.
    assert!(benefit_of(dir.path(), "jasso-scholarship").is_some());

    // The next start loads the shipped catalogue: the correction stays.
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    assert_eq!(
        benefit_of(dir.path(), "hello-work").as_deref(),
        Some("運営者が書き直した説明です。")
    );

    // The same file again changes nothing.
    let output = tsunagari(dir.path(), &["import", "public-schemes", "schemes.toml"]);
    assert!(stdout(&output).contains("0 added, 0 updated, 2 unchanged"));
}

#[test]
fn a_bad_file_changes_nothing_and_names_the_scheme_and_field() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    let before = listed(dir.path());

    // The first scheme is fine, the second is not: neither is imported.
    let bad_url = NIIGATA.replace(
        "https://www.pref.niigata.lg.jp/",
        "http://www.pref.niigata.lg.jp/",
    );
    std::fs::write(
        dir.path().join("bad.toml"),
        format!("{HELLO_WORK}{bad_url}"),
    )
    .unwrap();
    let output = tsunagari(dir.path(), &["import", "public-schemes", "bad.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("scheme niigata-uturn-desk: url must be an https:// URL"),
        "{err}"
    );
    assert_eq!(listed(dir.path()), before);

    for (file, expected) in [
        (
            NIIGATA.replace("\"relocation\"", "\"tea_ceremony\""),
            "scheme niigata-uturn-desk: fits_actions 'tea_ceremony' is not a life-career action id",
        ),
        (
            NIIGATA.replace("category = \"relocation_support\"\n", ""),
            "scheme niigata-uturn-desk: category is missing or empty",
        ),
        (
            NIIGATA.replace("prefecture = \"15\"", "prefecture = 15"),
            "line 12, scheme niigata-uturn-desk:",
        ),
        (
            format!("{HELLO_WORK}{HELLO_WORK}"),
            "scheme hello-work: slug is used by another scheme in the file",
        ),
        ("# nothing here\n".to_owned(), "no [[scheme]] entries"),
    ] {
        std::fs::write(dir.path().join("bad.toml"), &file).unwrap();
        let output = tsunagari(dir.path(), &["import", "public-schemes", "bad.toml"]);
        assert_eq!(output.status.code(), Some(1), "{expected}");
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: cannot import public schemes from bad.toml: "),
            "{err}"
        );
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert_eq!(listed(dir.path()), before);

    let output = tsunagari(dir.path(), &["import", "public-schemes", "missing.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read missing.toml"));
}

#[test]
fn replace_withdraws_the_rest_for_good() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    let shipped = listed(dir.path()).len();
    std::fs::write(
        dir.path().join("only.toml"),
        format!("{HELLO_WORK}{NIIGATA}"),
    )
    .unwrap();
    let output = tsunagari(
        dir.path(),
        &["import", "public-schemes", "--replace", "only.toml"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(&format!("{} withdrawn", shipped - 1)),
        "{}",
        stdout(&output)
    );
    let slugs = |dir: &Path| listed(dir).into_iter().map(|(s, _)| s).collect::<Vec<_>>();
    assert_eq!(slugs(dir.path()), ["hello-work", "niigata-uturn-desk"]);
    // A restart does not bring the shipped schemes back.
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    assert_eq!(slugs(dir.path()), ["hello-work", "niigata-uturn-desk"]);
}

#[test]
fn import_has_help() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["import", "public-schemes", "--help"]);
    assert!(output.status.success());
    assert!(stdout(&output).contains("--replace"));
    let output = tsunagari(dir.path(), &["import", "--help"]);
    assert!(stdout(&output).contains("public-schemes"));
}
