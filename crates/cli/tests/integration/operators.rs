//! `tsunagari admin grant-operator` / `revoke-operator` and `tsunagari
//! import organisations` as an operator uses them: the role follows the
//! e-mail address, unknown or malformed addresses fail in one line, the
//! shipped directory arrives with `migrate`, an operator's corrections
//! survive it, a bad file changes nothing, and `--replace` withdraws.

use crate::common;

use common::{stderr, stdout, tsunagari};

use std::path::Path;

fn query_strings(dir: &Path, sql: &str) -> Vec<String> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}", dir.join("tsunagari.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    })
}

fn operators(dir: &Path) -> Vec<String> {
    query_strings(
        dir,
        "SELECT u.email FROM site_operators o JOIN users u ON u.id = o.user_id ORDER BY u.email",
    )
}

fn listed(dir: &Path) -> Vec<String> {
    query_strings(
        dir,
        "SELECT slug FROM organisation_listings WHERE withdrawn = 0 ORDER BY slug",
    )
}

fn description_of(dir: &Path, slug: &str) -> String {
    query_strings(
        dir,
        &format!("SELECT description_ja FROM organisation_listings WHERE slug = '{slug}'"),
    )
    .remove(0)
}

const CORRECTED: &str = r#"
[[organisation]]
slug = "uazensen"
kind = "union"
name_ja = "UAゼンセン"
name_en = "UA Zensen"
description_ja = "運営者が書き直した説明です。"
description_en = "Rewritten by the operator."
prefecture = "13"
website = "https://uazensen.jp/"

[[organisation]]
slug = "minato-union"
kind = "union"
name_ja = "みなと地域ユニオン"
name_en = "Minato community union"
description_ja = "運営者が加えた団体です。"
description_en = "Added by the operator."
"#;

#[test]
fn the_site_operator_role_follows_the_e_mail_address() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        operators(dir.path()).is_empty(),
        "nobody is an operator by default"
    );

    let output = tsunagari(
        dir.path(),
        &["admin", "grant-operator", "Sato.Aoi@Example.JP"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        "Sato.Aoi@Example.JP is now a site operator"
    );
    assert_eq!(operators(dir.path()), ["sato.aoi@example.jp"]);
    let output = tsunagari(
        dir.path(),
        &["admin", "grant-operator", "sato.aoi@example.jp"],
    );
    assert!(output.status.success());
    assert!(stdout(&output).contains("was already a site operator"));
    assert_eq!(operators(dir.path()).len(), 1);

    let output = tsunagari(
        dir.path(),
        &["admin", "grant-operator", "nobody@example.jp"],
    );
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output).trim(),
        "error: no account has the e-mail address nobody@example.jp"
    );
    let output = tsunagari(dir.path(), &["admin", "grant-operator", "not-an-address"]);
    assert!(!output.status.success());
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("not-an-address is not an e-mail address"));
    let output = tsunagari(dir.path(), &["admin", "grant-operator"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a missing address is a usage error"
    );

    let output = tsunagari(
        dir.path(),
        &["admin", "revoke-operator", "sato.aoi@example.jp"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("is no longer a site operator"));
    assert!(operators(dir.path()).is_empty());
    let output = tsunagari(
        dir.path(),
        &["admin", "revoke-operator", "sato.aoi@example.jp"],
    );
    assert!(output.status.success());
    assert!(stdout(&output).contains("was not a site operator"));

    let help = tsunagari(dir.path(), &["admin", "--help"]);
    assert!(stdout(&help).contains("grant-operator") && stdout(&help).contains("revoke-operator"));
}

#[test]
fn the_shipped_directory_arrives_with_migrate_and_the_operator_s_imports_survive() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["migrate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shipped = tsunagari_app::parse_directory(tsunagari_app::SHIPPED_DIRECTORY).unwrap();
    assert_eq!(listed(dir.path()).len(), shipped.len());
    assert!(listed(dir.path()).contains(&"facebook-niigata-kenjinkai".to_owned()));

    let file = dir.path().join("organisations.toml");
    std::fs::write(&file, CORRECTED).unwrap();
    let output = tsunagari(
        dir.path(),
        &["import", "organisations", file.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("2 in the file; 1 added, 1 updated, 0 unchanged, 0 withdrawn"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        description_of(dir.path(), "uazensen"),
        "運営者が書き直した説明です。"
    );
    // Migrating again (an upgrade, a restart) keeps the operator's text.
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    assert_eq!(
        description_of(dir.path(), "uazensen"),
        "運営者が書き直した説明です。"
    );
    assert_eq!(listed(dir.path()).len(), shipped.len() + 1);

    // A bad file says where, in one line, and changes nothing.
    let bad = CORRECTED.replace(
        "website = \"https://uazensen.jp/\"",
        "website = \"http://uazensen.jp/\"",
    );
    std::fs::write(&file, bad).unwrap();
    let output = tsunagari(
        dir.path(),
        &["import", "organisations", file.to_str().unwrap()],
    );
    assert!(!output.status.success());
    let error = stderr(&output);
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(
        error.contains("organisation uazensen: website must be an https:// URL"),
        "{error}"
    );

    // --replace withdraws what the file leaves out, and migrate does not bring it back.
    std::fs::write(&file, CORRECTED).unwrap();
    let output = tsunagari(
        dir.path(),
        &[
            "import",
            "organisations",
            "--replace",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains(&format!("{} withdrawn", shipped.len() - 1)));
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
    assert_eq!(listed(dir.path()), ["minato-union", "uazensen"]);
}

#[test]
fn the_demo_leaves_a_claim_for_the_operator() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tsunagari(dir.path(), &["demo"]).status.success());
    let claims = query_strings(
        dir.path(),
        "SELECT l.slug || ':' || c.status FROM organisation_claims c JOIN organisation_listings l ON l.id = c.listing_id",
    );
    assert_eq!(claims, ["mirai-kaigo-cafe:pending"]);
}
