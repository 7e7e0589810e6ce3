//! The public-help directory (公助): the catalogue of public schemes that
//! ships with the release (`data/public-schemes.toml`, compiled in), the
//! operator's imports of files in the same format, and reading it: browse,
//! search, one scheme, and the schemes that fit a person's wished actions.
//!
//! Reading a catalogue is all-or-nothing: the whole file is parsed and every
//! scheme validated before anything is written, and the write is one
//! transaction, so a bad file changes nothing and the error names the
//! scheme and the field.

use std::sync::Arc;

use serde::Deserialize;
use tsunagari_domain::public_scheme::{
    self, PublicScheme, SchemeCategory, SchemeDraft, SchemeError,
};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_store::{CatalogueChange, CatalogueSource, SchemeFilter, Store, StoreError};

use crate::{AppError, Field, FieldErrors, FieldProblem};

/// The catalogue shipped with this release.
pub const SHIPPED_CATALOGUE: &str = include_str!("../../../data/public-schemes.toml");

/// How an operator's file changes the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// Add and update the file's schemes; keep the others.
    #[default]
    Merge,
    /// Also withdraw every scheme the file does not contain.
    Replace,
}

/// What an import (or loading the shipped catalogue) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Schemes in the file.
    pub in_file: usize,
    /// Newly listed.
    pub added: u64,
    /// Changed.
    pub updated: u64,
    /// Already so.
    pub unchanged: u64,
    /// Left as the operator set them (shipped catalogue only).
    pub kept: u64,
    /// No longer listed.
    pub removed: u64,
}

impl ImportReport {
    fn new(in_file: usize, change: CatalogueChange) -> ImportReport {
        ImportReport {
            in_file,
            added: change.added,
            updated: change.updated,
            unchanged: change.unchanged,
            kept: change.kept,
            removed: change.removed,
        }
    }
}

/// Why a catalogue file was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// Not valid TOML, or not the catalogue's shape (an unknown key, a
    /// number where text belongs).
    #[error("{location}: {message}")]
    Syntax {
        /// Where: the line, and the scheme when the problem is inside one.
        location: String,
        /// What the parser said.
        message: String,
    },
    /// The file holds no `[[scheme]]` at all (probably the wrong file).
    #[error("the file has no [[scheme]] entries")]
    Empty,
    /// A scheme breaks a rule.
    #[error(transparent)]
    Invalid(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    #[serde(default)]
    scheme: Vec<SchemeRecord>,
}

/// A `[[scheme]]` as written. Missing keys become empty values, so the
/// domain reports them with the scheme's name rather than the parser
/// without it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct SchemeRecord {
    slug: String,
    category: String,
    name_ja: String,
    name_en: String,
    audience_ja: String,
    audience_en: String,
    benefit_ja: String,
    benefit_en: String,
    url: String,
    prefecture: Option<String>,
    fits_actions: Vec<String>,
}

impl From<SchemeRecord> for SchemeDraft {
    fn from(r: SchemeRecord) -> SchemeDraft {
        SchemeDraft {
            slug: r.slug,
            category: r.category,
            name_ja: r.name_ja,
            name_en: r.name_en,
            audience_ja: r.audience_ja,
            audience_en: r.audience_en,
            benefit_ja: r.benefit_ja,
            benefit_en: r.benefit_en,
            url: r.url,
            prefecture: r.prefecture,
            fits_actions: r.fits_actions,
        }
    }
}

/// Parses and validates a catalogue file; the first problem is returned
/// and nothing is used.
pub fn parse_catalogue(text: &str) -> Result<Vec<PublicScheme>, CatalogueError> {
    let file: CatalogueFile = toml::from_str(text).map_err(|error| syntax_error(text, &error))?;
    if file.scheme.is_empty() {
        return Err(CatalogueError::Empty);
    }
    let drafts: Vec<SchemeDraft> = file.scheme.into_iter().map(SchemeDraft::from).collect();
    Ok(public_scheme::validate_catalogue(&drafts)?)
}

/// A parser error on one line, naming the `[[scheme]]` it is in (by slug
/// when the block has one, otherwise by position).
fn syntax_error(text: &str, error: &toml::de::Error) -> CatalogueError {
    let message = error
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_owned();
    let Some(offset) = error.span().map(|span| span.start.min(text.len())) else {
        return CatalogueError::Syntax {
            location: "the file".into(),
            message,
        };
    };
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let is_header = |l: &str| l.trim() == "[[scheme]]";
    let position = before.lines().filter(|l| is_header(l)).count();
    let location = if position == 0 {
        format!("line {line}")
    } else {
        // The block runs from its header to the next one.
        let start = before.rfind("[[scheme]]").unwrap_or(0);
        let block = text[start..]
            .lines()
            .skip(1)
            .take_while(|l| !is_header(l))
            .collect::<Vec<_>>();
        let slug = block.iter().find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "slug").then(|| value.trim().trim_matches('"').to_owned())
        });
        match slug {
            Some(slug) if !slug.is_empty() => format!("line {line}, scheme {slug}"),
            _ => format!("line {line}, scheme #{position}"),
        }
    };
    CatalogueError::Syntax { location, message }
}

fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Turns the raw filters of a request into a filter, refusing unknown
/// values (the API says which; pages ignore them instead).
pub fn scheme_filter(
    category: Option<&str>,
    prefecture: Option<&str>,
    query: Option<&str>,
    actions: &[String],
) -> Result<SchemeFilter, AppError> {
    let mut errors = FieldErrors::default();
    let category = blank_to_none(category).and_then(|name| {
        let parsed = SchemeCategory::parse(name);
        if parsed.is_none() {
            errors.add(Field::Category, FieldProblem::UnknownCategory);
        }
        parsed
    });
    let prefecture = blank_to_none(prefecture).and_then(|code| {
        let parsed = Prefecture::parse(code);
        if parsed.is_none() {
            errors.add(Field::Prefecture, FieldProblem::UnknownPrefecture);
        }
        parsed
    });
    let mut wanted = Vec::new();
    for action in actions.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        if !public_scheme::is_life_career_action(action) {
            errors.add(Field::Action, FieldProblem::UnknownAction);
            break;
        }
        if !wanted.iter().any(|w| w == action) {
            wanted.push(action.to_owned());
        }
    }
    AppError::invalid_if_any(errors)?;
    Ok(SchemeFilter {
        category,
        prefecture,
        query: blank_to_none(query).map(str::to_owned),
        actions: wanted,
    })
}

/// The public-help directory use cases.
#[derive(Clone)]
pub struct PublicSchemes {
    store: Arc<dyn Store>,
}

impl PublicSchemes {
    /// Use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> PublicSchemes {
        PublicSchemes { store }
    }

    /// Brings the shipped catalogue into the database: run whenever
    /// migrations are. Schemes the operator imported or withdrew are left
    /// alone (see `CatalogueSource::Shipped`).
    pub async fn load_shipped(&self) -> Result<ImportReport, CatalogueError> {
        let schemes = parse_catalogue(SHIPPED_CATALOGUE)?;
        let change = self
            .store
            .import_public_schemes(&schemes, CatalogueSource::Shipped, now())
            .await?;
        Ok(ImportReport::new(schemes.len(), change))
    }

    /// Imports an operator's catalogue file, all or nothing.
    pub async fn import(
        &self,
        text: &str,
        mode: ImportMode,
    ) -> Result<ImportReport, CatalogueError> {
        let schemes = parse_catalogue(text)?;
        let source = CatalogueSource::Operator {
            replace: mode == ImportMode::Replace,
        };
        let change = self
            .store
            .import_public_schemes(&schemes, source, now())
            .await?;
        Ok(ImportReport::new(schemes.len(), change))
    }

    /// Listed schemes matching a filter, by category.
    pub async fn list(&self, filter: &SchemeFilter) -> Result<Vec<PublicScheme>, AppError> {
        Ok(self.store.public_schemes(filter).await?)
    }

    /// One scheme; `NotFound` when there is none (or it was withdrawn).
    pub async fn get(&self, slug: &str) -> Result<PublicScheme, AppError> {
        // Slugs are short ASCII; anything else cannot name a scheme.
        if slug.len() > 80 {
            return Err(AppError::NotFound);
        }
        self.store
            .public_scheme(slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The schemes to suggest to someone who wants `action_ids`: national
    /// ones and those of their prefecture, most fitting first, at most
    /// `limit`.
    pub async fn for_actions(
        &self,
        action_ids: &[String],
        prefecture: Option<Prefecture>,
        limit: usize,
    ) -> Result<Vec<PublicScheme>, AppError> {
        let candidates = self
            .store
            .public_schemes_for_actions(action_ids, prefecture)
            .await?;
        Ok(public_scheme::rank_by_fit(
            candidates, action_ids, prefecture, limit,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tsunagari_domain::public_scheme::{SchemeField, SchemeProblem};

    const ONE: &str = r#"
[[scheme]]
slug = "hello-work"
category = "job_counselling"
name_ja = "ハローワーク"
name_en = "Hello Work"
audience_ja = "仕事を探す人"
audience_en = "Job seekers"
benefit_ja = "相談"
benefit_en = "Advice"
url = "https://www.hellowork.mhlw.go.jp/"
fits_actions = ["job_change"]
"#;

    #[test]
    fn the_shipped_catalogue_is_valid_and_complete() {
        let schemes = parse_catalogue(SHIPPED_CATALOGUE).expect("shipped catalogue");
        assert!(schemes.len() >= 14, "{}", schemes.len());
        for slug in [
            "employment-insurance-basic-allowance",
            "education-training-benefit-general",
            "education-training-benefit-specific",
            "education-training-benefit-specialised",
            "job-seeker-support-scheme",
            "hello-training",
            "hello-work",
            "career-reskilling-support-centre",
            "jasso-scholarship",
            "regional-relocation-grant",
            "join-relocation-portal",
            "furusato-kaiki-support-centre",
        ] {
            assert!(schemes.iter().any(|s| s.slug == slug), "{slug} missing");
        }
        // Every category has at least one scheme, and every scheme fits
        // at least one action so the self-check can suggest it.
        for category in SchemeCategory::ALL {
            assert!(
                schemes.iter().any(|s| s.category == category),
                "{category:?}"
            );
        }
        assert!(schemes.iter().all(|s| !s.fits_actions.is_empty()));
        let general = schemes
            .iter()
            .find(|s| s.slug == "education-training-benefit-general")
            .unwrap();
        assert!(general.benefit.ja.contains("20%"));
        assert!(general.benefit.ja.contains("10万円"));
    }

    #[test]
    fn a_good_file_parses() {
        let schemes = parse_catalogue(ONE).unwrap();
        assert_eq!(schemes.len(), 1);
        assert_eq!(schemes[0].category, SchemeCategory::JobCounselling);
    }

    #[test]
    fn a_missing_key_is_named_with_the_scheme() {
        let text = ONE.replace("url = \"https://www.hellowork.mhlw.go.jp/\"\n", "");
        match parse_catalogue(&text) {
            Err(CatalogueError::Invalid(error)) => {
                assert_eq!(error.scheme, "hello-work");
                assert_eq!(error.field, SchemeField::Url);
                assert_eq!(error.problem, SchemeProblem::Empty);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_give_the_line_and_the_scheme() {
        let text = ONE.replace("benefit_en", "benfit_en");
        let error = parse_catalogue(&text).unwrap_err().to_string();
        assert!(error.starts_with("line 10, scheme hello-work: "), "{error}");
        assert!(error.contains("benfit_en"), "{error}");
        assert!(!error.contains('\n'), "one line: {error}");

        let text = ONE.replace("fits_actions = [\"job_change\"]", "prefecture = 13");
        let error = parse_catalogue(&text).unwrap_err().to_string();
        assert!(error.starts_with("line 12, scheme hello-work: "), "{error}");

        let error = parse_catalogue("[[scheme]\nslug = 1")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("line 1"), "{error}");
    }

    #[test]
    fn an_empty_or_misnamed_file_is_refused() {
        assert!(matches!(parse_catalogue(""), Err(CatalogueError::Empty)));
        let error = parse_catalogue(&ONE.replace("[[scheme]]", "[[schemes]]")).unwrap_err();
        assert!(error.to_string().contains("schemes"), "{error}");
    }

    #[test]
    fn request_filters_are_checked() {
        let filter = scheme_filter(
            Some("training_benefit"),
            Some("13"),
            Some(" 介護 "),
            &["job_change".into(), "job_change".into()],
        )
        .unwrap();
        assert_eq!(filter.category, Some(SchemeCategory::TrainingBenefit));
        assert_eq!(filter.prefecture, Prefecture::parse("13"));
        assert_eq!(filter.query.as_deref(), Some("介護"));
        assert_eq!(filter.actions, ["job_change"]);
        assert_eq!(
            scheme_filter(Some(""), Some(" "), Some(""), &[]).unwrap(),
            SchemeFilter::default()
        );
        let Err(AppError::Invalid(errors)) =
            scheme_filter(Some("loans"), Some("99"), None, &["flying".into()])
        else {
            panic!("expected invalid");
        };
        assert_eq!(
            errors.get(Field::Category),
            Some(FieldProblem::UnknownCategory)
        );
        assert_eq!(
            errors.get(Field::Prefecture),
            Some(FieldProblem::UnknownPrefecture)
        );
        assert_eq!(errors.get(Field::Action), Some(FieldProblem::UnknownAction));
    }
}
