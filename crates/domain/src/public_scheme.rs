//! The public-help directory (公助): public career schemes — benefits,
//! training, counselling, scholarships, relocation support — described in
//! Japanese and English, with who they are for and which life-career
//! actions they help with.
//!
//! The catalogue is data (`data/public-schemes.toml`, and files an
//! operator imports). A scheme reaches the rest of the system only through
//! `SchemeDraft::validate` or `validate_catalogue`, whose errors name the
//! scheme and the field, so a bad file is refused with a message the
//! operator can act on. Ranking schemes for a person's wished actions
//! (`rank_by_fit`) is a pure function here too.

use std::collections::HashSet;
use std::fmt;

use crate::Locale;
use crate::region::Prefecture;

/// The life-career actions of the self-check (the report's 17): the
/// self-check asks about these; schemes say which of them they help with.
pub use crate::selfcheck::questionnaire::LIFE_CAREER_ACTIONS;

/// Whether `id` is one of the 17 life-career action ids.
pub fn is_life_career_action(id: &str) -> bool {
    LIFE_CAREER_ACTIONS.contains(&id)
}

/// Shortest and longest slug, in characters.
pub const SLUG_CHARS: std::ops::RangeInclusive<usize> = 3..=80;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest "who it is for" and "what it gives" text, in characters.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Longest official URL, in characters.
pub const MAX_URL_CHARS: usize = 500;

/// What kind of help a scheme gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemeCategory {
    /// Money while out of work (雇用保険の基本手当).
    UnemploymentBenefit,
    /// Part of the fees of a course refunded (教育訓練給付).
    TrainingBenefit,
    /// Support for job seekers without unemployment benefit (求職者支援制度).
    JobSeekerSupport,
    /// Public vocational training (ハロートレーニング).
    VocationalTraining,
    /// Job placement and counselling (ハローワーク).
    JobCounselling,
    /// Career consulting by certified consultants (キャリアコンサルティング).
    CareerConsulting,
    /// Grants and loans for study (奨学金).
    Scholarship,
    /// Moving to the regions: U/I-turn support (移住支援).
    RelocationSupport,
}

impl SchemeCategory {
    /// Every category, in the order pages present them.
    pub const ALL: [SchemeCategory; 8] = [
        SchemeCategory::UnemploymentBenefit,
        SchemeCategory::TrainingBenefit,
        SchemeCategory::JobSeekerSupport,
        SchemeCategory::VocationalTraining,
        SchemeCategory::JobCounselling,
        SchemeCategory::CareerConsulting,
        SchemeCategory::Scholarship,
        SchemeCategory::RelocationSupport,
    ];

    /// The stable name used in files, the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            SchemeCategory::UnemploymentBenefit => "unemployment_benefit",
            SchemeCategory::TrainingBenefit => "training_benefit",
            SchemeCategory::JobSeekerSupport => "job_seeker_support",
            SchemeCategory::VocationalTraining => "vocational_training",
            SchemeCategory::JobCounselling => "job_counselling",
            SchemeCategory::CareerConsulting => "career_consulting",
            SchemeCategory::Scholarship => "scholarship",
            SchemeCategory::RelocationSupport => "relocation_support",
        }
    }

    /// Parses the stable name (hyphens accepted too).
    pub fn parse(name: &str) -> Option<SchemeCategory> {
        let name = name.trim().replace('-', "_");
        SchemeCategory::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// A text in both of the product's languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bilingual {
    /// 日本語.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ja => &self.ja,
            Locale::En => &self.en,
        }
    }
}

/// A public scheme, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicScheme {
    /// Stable id: lower-case ASCII letters, digits and single hyphens,
    /// e.g. `employment-insurance-basic-allowance`.
    pub slug: String,
    /// What kind of help it is.
    pub category: SchemeCategory,
    /// Its name.
    pub name: Bilingual,
    /// Who it is for.
    pub audience: Bilingual,
    /// What it gives.
    pub benefit: Bilingual,
    /// The official page (https).
    pub url: String,
    /// The prefecture of a local scheme; `None` for a national one.
    pub prefecture: Option<Prefecture>,
    /// Life-career action ids it helps with (see `LIFE_CAREER_ACTIONS`).
    pub fits_actions: Vec<String>,
}

impl PublicScheme {
    /// Whether it is available in `prefecture`: national schemes are
    /// available everywhere, local ones in their own prefecture.
    pub fn available_in(&self, prefecture: Prefecture) -> bool {
        self.prefecture.is_none_or(|p| p == prefecture)
    }

    /// How many of `actions` it helps with.
    pub fn fit_count(&self, actions: &[String]) -> usize {
        self.fits_actions
            .iter()
            .filter(|a| actions.contains(a))
            .count()
    }

    /// Names, audiences and benefits in both languages, folded for
    /// substring search (see `fold_for_search`). Stored beside the scheme
    /// so both databases search the same text the same way.
    pub fn search_text(&self) -> String {
        let parts = [
            &self.name.ja,
            &self.name.en,
            &self.audience.ja,
            &self.audience.en,
            &self.benefit.ja,
            &self.benefit.en,
        ];
        let joined: Vec<&str> = parts.iter().map(|s| s.as_str()).collect();
        fold_for_search(&joined.join("\n"))
    }
}

/// Lower-cases text and turns full-width ASCII (ＩＴ, ｔｒａｉｎｉｎｇ) and
/// the ideographic space into their plain forms, so a search typed with a
/// Japanese input method finds English words too. Japanese text is kept
/// as it is: a substring search finds any word, two characters (介護,
/// 学び) included.
pub fn fold_for_search(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The search words of a query: folded, split on any white space, at most
/// ten, none longer than 100 characters. Empty when the query is blank.
pub fn search_terms(query: &str) -> Vec<String> {
    fold_for_search(query)
        .split_whitespace()
        .take(10)
        .map(|t| t.chars().take(100).collect())
        .collect()
}

/// Schemes ordered for someone who wants `actions` and lives in
/// `prefecture` (when known): only those available there that help with at
/// least one of the actions, most actions first; ties keep their order.
pub fn rank_by_fit(
    schemes: Vec<PublicScheme>,
    actions: &[String],
    prefecture: Option<Prefecture>,
    limit: usize,
) -> Vec<PublicScheme> {
    let mut ranked: Vec<(usize, PublicScheme)> = schemes
        .into_iter()
        .filter(|s| prefecture.is_none_or(|p| s.available_in(p)))
        .map(|s| (s.fit_count(actions), s))
        .filter(|(fit, _)| *fit > 0)
        .collect();
    // A stable sort: equal fits stay in catalogue order.
    ranked.sort_by_key(|(fit, _)| std::cmp::Reverse(*fit));
    ranked.into_iter().take(limit).map(|(_, s)| s).collect()
}

/// A field of a scheme as written in a catalogue file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeField {
    /// `slug`.
    Slug,
    /// `category`.
    Category,
    /// `name_ja`.
    NameJa,
    /// `name_en`.
    NameEn,
    /// `audience_ja`.
    AudienceJa,
    /// `audience_en`.
    AudienceEn,
    /// `benefit_ja`.
    BenefitJa,
    /// `benefit_en`.
    BenefitEn,
    /// `url`.
    Url,
    /// `prefecture`.
    Prefecture,
    /// `fits_actions`.
    FitsActions,
}

impl SchemeField {
    /// The key in the file.
    pub fn key(self) -> &'static str {
        match self {
            SchemeField::Slug => "slug",
            SchemeField::Category => "category",
            SchemeField::NameJa => "name_ja",
            SchemeField::NameEn => "name_en",
            SchemeField::AudienceJa => "audience_ja",
            SchemeField::AudienceEn => "audience_en",
            SchemeField::BenefitJa => "benefit_ja",
            SchemeField::BenefitEn => "benefit_en",
            SchemeField::Url => "url",
            SchemeField::Prefecture => "prefecture",
            SchemeField::FitsActions => "fits_actions",
        }
    }
}

impl fmt::Display for SchemeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeProblem {
    /// Missing or blank.
    #[error("is missing or empty")]
    Empty,
    /// Longer than allowed.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Holds control characters (line breaks are allowed only in the
    /// audience and benefit texts).
    #[error("contains control characters")]
    ControlCharacters,
    /// Not 3–80 characters of a–z, 0–9 and single inner hyphens.
    #[error(
        "must be 3-80 characters of a-z, 0-9 and single hyphens, e.g. employment-insurance-basic-allowance"
    )]
    Slug,
    /// Another scheme in the same file has this slug.
    #[error("is used by another scheme in the file")]
    DuplicateSlug,
    /// Not one of the categories.
    #[error(
        "'{0}' is not a category (one of: unemployment_benefit, training_benefit, job_seeker_support, vocational_training, job_counselling, career_consulting, scholarship, relocation_support)"
    )]
    UnknownCategory(String),
    /// Not an https URL with a host.
    #[error("must be an https:// URL")]
    NotHttps,
    /// Not a two-digit JIS prefecture code.
    #[error("'{0}' is not a JIS prefecture code (\"01\" to \"47\")")]
    UnknownPrefecture(String),
    /// Not one of the 17 life-career action ids.
    #[error("'{0}' is not a life-career action id")]
    UnknownAction(String),
    /// The same action listed twice.
    #[error("lists '{0}' twice")]
    DuplicateAction(String),
}

/// A scheme that was refused: which one, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("scheme {scheme}: {field} {problem}")]
pub struct SchemeError {
    /// The scheme's slug as written, or its position (`#3`) when the slug
    /// itself is unusable.
    pub scheme: String,
    /// The field.
    pub field: SchemeField,
    /// The problem.
    pub problem: SchemeProblem,
}

/// A scheme as written in a catalogue file, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemeDraft {
    /// Stable id.
    pub slug: String,
    /// Category name.
    pub category: String,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
    /// Who it is for, Japanese.
    pub audience_ja: String,
    /// Who it is for, English.
    pub audience_en: String,
    /// What it gives, Japanese.
    pub benefit_ja: String,
    /// What it gives, English.
    pub benefit_en: String,
    /// Official page.
    pub url: String,
    /// JIS prefecture code of a local scheme.
    pub prefecture: Option<String>,
    /// Life-career action ids.
    pub fits_actions: Vec<String>,
}

impl SchemeDraft {
    /// Checks the draft; `position` (1-based) names the scheme when its
    /// slug is unusable. Reports the first problem, in field order.
    pub fn validate(&self, position: usize) -> Result<PublicScheme, SchemeError> {
        let slug = self.slug.trim();
        let scheme_name = if slug.is_empty() {
            format!("#{position}")
        } else {
            slug.to_owned()
        };
        let fail = |field, problem| SchemeError {
            scheme: scheme_name.clone(),
            field,
            problem,
        };
        if slug.is_empty() {
            return Err(fail(SchemeField::Slug, SchemeProblem::Empty));
        }
        if !is_valid_slug(slug) {
            return Err(SchemeError {
                scheme: format!("#{position} ({slug})"),
                field: SchemeField::Slug,
                problem: SchemeProblem::Slug,
            });
        }
        let category = self.category.trim();
        if category.is_empty() {
            return Err(fail(SchemeField::Category, SchemeProblem::Empty));
        }
        let category = SchemeCategory::parse(category).ok_or_else(|| {
            fail(
                SchemeField::Category,
                SchemeProblem::UnknownCategory(category.to_owned()),
            )
        })?;
        let text = |field, value: &str, max, multiline| {
            checked_text(value, max, multiline).map_err(|problem| fail(field, problem))
        };
        let name = Bilingual {
            ja: text(SchemeField::NameJa, &self.name_ja, MAX_NAME_CHARS, false)?,
            en: text(SchemeField::NameEn, &self.name_en, MAX_NAME_CHARS, false)?,
        };
        let audience = Bilingual {
            ja: text(
                SchemeField::AudienceJa,
                &self.audience_ja,
                MAX_TEXT_CHARS,
                true,
            )?,
            en: text(
                SchemeField::AudienceEn,
                &self.audience_en,
                MAX_TEXT_CHARS,
                true,
            )?,
        };
        let benefit = Bilingual {
            ja: text(
                SchemeField::BenefitJa,
                &self.benefit_ja,
                MAX_TEXT_CHARS,
                true,
            )?,
            en: text(
                SchemeField::BenefitEn,
                &self.benefit_en,
                MAX_TEXT_CHARS,
                true,
            )?,
        };
        let url = self.url.trim();
        if url.is_empty() {
            return Err(fail(SchemeField::Url, SchemeProblem::Empty));
        }
        if url.chars().count() > MAX_URL_CHARS {
            return Err(fail(
                SchemeField::Url,
                SchemeProblem::TooLong { max: MAX_URL_CHARS },
            ));
        }
        if !is_https_url(url) {
            return Err(fail(SchemeField::Url, SchemeProblem::NotHttps));
        }
        let prefecture = match self.prefecture.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(parse_prefecture(code).ok_or_else(|| {
                fail(
                    SchemeField::Prefecture,
                    SchemeProblem::UnknownPrefecture(code.to_owned()),
                )
            })?),
        };
        let mut fits_actions: Vec<String> = Vec::new();
        for action in &self.fits_actions {
            let action = action.trim();
            if !is_life_career_action(action) {
                return Err(fail(
                    SchemeField::FitsActions,
                    SchemeProblem::UnknownAction(action.to_owned()),
                ));
            }
            if fits_actions.iter().any(|a| a == action) {
                return Err(fail(
                    SchemeField::FitsActions,
                    SchemeProblem::DuplicateAction(action.to_owned()),
                ));
            }
            fits_actions.push(action.to_owned());
        }
        Ok(PublicScheme {
            slug: slug.to_owned(),
            category,
            name,
            audience,
            benefit,
            url: url.to_owned(),
            prefecture,
            fits_actions,
        })
    }
}

/// Checks every draft of a file and that no two share a slug; the first
/// problem found is returned, so nothing of a bad file is used.
pub fn validate_catalogue(drafts: &[SchemeDraft]) -> Result<Vec<PublicScheme>, SchemeError> {
    let mut seen = HashSet::new();
    let mut schemes = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let scheme = draft.validate(index + 1)?;
        if !seen.insert(scheme.slug.clone()) {
            return Err(SchemeError {
                scheme: scheme.slug,
                field: SchemeField::Slug,
                problem: SchemeProblem::DuplicateSlug,
            });
        }
        schemes.push(scheme);
    }
    Ok(schemes)
}

pub(crate) fn is_valid_slug(slug: &str) -> bool {
    SLUG_CHARS.contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

pub(crate) fn checked_text(
    value: &str,
    max: usize,
    multiline: bool,
) -> Result<String, SchemeProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SchemeProblem::Empty);
    }
    if value.chars().count() > max {
        return Err(SchemeProblem::TooLong { max });
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        return Err(SchemeProblem::ControlCharacters);
    }
    Ok(value.to_owned())
}

pub(crate) fn is_https_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\''))
}

/// Exactly two digits, "01" to "47".
pub(crate) fn parse_prefecture(code: &str) -> Option<Prefecture> {
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Prefecture::parse(code))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SchemeDraft {
        SchemeDraft {
            slug: "education-training-benefit-general".into(),
            category: "training_benefit".into(),
            name_ja: "一般教育訓練給付金".into(),
            name_en: "General education and training benefit".into(),
            audience_ja: "雇用保険に入って働いた期間が長い人".into(),
            audience_en: "People insured long enough".into(),
            benefit_ja: "受講料の20%（上限10万円）が戻ります。".into(),
            benefit_en: "20% of the course fees back, up to 100,000 yen.".into(),
            url: "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/jinzaikaihatsu/kyouiku.html"
                .into(),
            prefecture: None,
            fits_actions: vec!["qualification".into(), "future_learning".into()],
        }
    }

    fn problem(draft: &SchemeDraft) -> (SchemeField, SchemeProblem) {
        let error = draft.validate(1).unwrap_err();
        (error.field, error.problem)
    }

    #[test]
    fn there_are_17_distinct_actions() {
        let distinct: HashSet<&str> = LIFE_CAREER_ACTIONS.into_iter().collect();
        assert_eq!(distinct.len(), 17);
        assert!(is_life_career_action("relocation"));
        assert!(!is_life_career_action("Relocation"));
    }

    #[test]
    fn the_self_check_asks_about_these_categories() {
        use crate::selfcheck::questionnaire;
        let names: Vec<&str> = SchemeCategory::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, questionnaire::SCHEME_KINDS);
    }

    #[test]
    fn categories_round_trip() {
        for category in SchemeCategory::ALL {
            assert_eq!(SchemeCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(
            SchemeCategory::parse("relocation-support"),
            Some(SchemeCategory::RelocationSupport)
        );
        assert_eq!(SchemeCategory::parse("loan"), None);
    }

    #[test]
    fn a_good_draft_is_trimmed_and_kept() {
        let mut d = draft();
        d.name_en = "  General education and training benefit ".into();
        d.prefecture = Some("13".into());
        let scheme = d.validate(1).unwrap();
        assert_eq!(scheme.name.en, "General education and training benefit");
        assert_eq!(scheme.category, SchemeCategory::TrainingBenefit);
        assert_eq!(scheme.prefecture.unwrap().code(), "13");
        assert_eq!(scheme.name.get(Locale::Ja), "一般教育訓練給付金");
        assert_eq!(
            scheme.name.get(Locale::En),
            "General education and training benefit"
        );
    }

    #[test]
    fn slugs_are_checked() {
        for bad in [
            "ab",
            "Has-Capital",
            "trailing-",
            "-leading",
            "double--hyphen",
            "空白",
            "with space",
        ] {
            let mut d = draft();
            d.slug = bad.into();
            let error = d.validate(4).unwrap_err();
            assert_eq!(error.field, SchemeField::Slug, "{bad}");
            assert!(error.scheme.starts_with("#4"), "{bad}: {}", error.scheme);
        }
        let mut d = draft();
        d.slug = " ".into();
        assert_eq!(d.validate(2).unwrap_err().scheme, "#2");
    }

    #[test]
    fn every_text_is_required_and_limited() {
        type Setter = fn(&mut SchemeDraft, String);
        let setters: [(SchemeField, Setter, usize); 6] = [
            (SchemeField::NameJa, |d, v| d.name_ja = v, MAX_NAME_CHARS),
            (SchemeField::NameEn, |d, v| d.name_en = v, MAX_NAME_CHARS),
            (
                SchemeField::AudienceJa,
                |d, v| d.audience_ja = v,
                MAX_TEXT_CHARS,
            ),
            (
                SchemeField::AudienceEn,
                |d, v| d.audience_en = v,
                MAX_TEXT_CHARS,
            ),
            (
                SchemeField::BenefitJa,
                |d, v| d.benefit_ja = v,
                MAX_TEXT_CHARS,
            ),
            (
                SchemeField::BenefitEn,
                |d, v| d.benefit_en = v,
                MAX_TEXT_CHARS,
            ),
        ];
        for (field, set, max) in setters {
            let mut d = draft();
            set(&mut d, "   ".into());
            assert_eq!(problem(&d), (field, SchemeProblem::Empty));
            let mut d = draft();
            set(&mut d, "あ".repeat(max));
            assert!(d.validate(1).is_ok(), "{field} at the limit");
            set(&mut d, "あ".repeat(max + 1));
            assert_eq!(problem(&d), (field, SchemeProblem::TooLong { max }));
        }
    }

    #[test]
    fn line_breaks_only_in_long_texts() {
        let mut d = draft();
        d.benefit_ja = "一行目\n二行目".into();
        assert!(d.validate(1).is_ok());
        d.name_ja = "一般\n教育".into();
        assert_eq!(
            problem(&d),
            (SchemeField::NameJa, SchemeProblem::ControlCharacters)
        );
    }

    #[test]
    fn the_url_must_be_https() {
        for bad in [
            "http://www.mhlw.go.jp/",
            "https://",
            "javascript:alert(1)",
            "https://example.jp/a b",
            "www.mhlw.go.jp",
        ] {
            let mut d = draft();
            d.url = bad.into();
            assert_eq!(
                problem(&d),
                (SchemeField::Url, SchemeProblem::NotHttps),
                "{bad}"
            );
        }
    }

    #[test]
    fn category_prefecture_and_actions_must_be_known() {
        let mut d = draft();
        d.category = "loans".into();
        let error = d.validate(1).unwrap_err();
        assert_eq!(error.field, SchemeField::Category);
        assert_eq!(
            error.to_string().split(':').next(),
            Some("scheme education-training-benefit-general")
        );

        let mut d = draft();
        d.prefecture = Some("48".into());
        assert_eq!(
            problem(&d),
            (
                SchemeField::Prefecture,
                SchemeProblem::UnknownPrefecture("48".into())
            )
        );
        d.prefecture = Some("1".into());
        assert_eq!(problem(&d).0, SchemeField::Prefecture);

        let mut d = draft();
        d.fits_actions.push("tea_ceremony".into());
        assert_eq!(
            problem(&d),
            (
                SchemeField::FitsActions,
                SchemeProblem::UnknownAction("tea_ceremony".into())
            )
        );
        let mut d = draft();
        d.fits_actions.push("qualification".into());
        assert_eq!(
            problem(&d),
            (
                SchemeField::FitsActions,
                SchemeProblem::DuplicateAction("qualification".into())
            )
        );
    }

    #[test]
    fn errors_name_the_scheme_and_the_field() {
        let mut d = draft();
        d.url = "http://www.mhlw.go.jp/".into();
        assert_eq!(
            d.validate(1).unwrap_err().to_string(),
            "scheme education-training-benefit-general: url must be an https:// URL"
        );
    }

    #[test]
    fn a_catalogue_refuses_duplicate_slugs() {
        let mut second = draft();
        second.name_ja = "別".into();
        let error = validate_catalogue(&[draft(), second]).unwrap_err();
        assert_eq!(error.problem, SchemeProblem::DuplicateSlug);
        assert_eq!(error.scheme, "education-training-benefit-general");
        let mut other = draft();
        other.slug = "hello-work".into();
        assert_eq!(validate_catalogue(&[draft(), other]).unwrap().len(), 2);
    }

    #[test]
    fn search_folding_handles_full_width_and_case() {
        assert_eq!(fold_for_search("ＩＴ　Training"), "it training");
        assert_eq!(fold_for_search("介護と学び"), "介護と学び");
        assert_eq!(search_terms("  教育訓練　給付 "), vec!["教育訓練", "給付"]);
        assert!(search_terms(" \u{3000} ").is_empty());
        let scheme = draft().validate(1).unwrap();
        assert!(scheme.search_text().contains("general education"));
        assert!(scheme.search_text().contains("教育訓練"));
    }

    #[test]
    fn ranking_prefers_more_fitting_schemes_and_the_reader_s_region() {
        let make = |slug: &str, actions: &[&str], prefecture: Option<&str>| {
            let mut d = draft();
            d.slug = slug.into();
            d.fits_actions = actions.iter().map(|a| a.to_string()).collect();
            d.prefecture = prefecture.map(str::to_owned);
            d.validate(1).unwrap()
        };
        let schemes = vec![
            make("one-fit", &["qualification"], None),
            make("no-fit", &["relocation"], None),
            make("two-fits", &["qualification", "job_change"], None),
            make("tokyo-only", &["qualification", "job_change"], Some("13")),
            make("also-one", &["job_change"], None),
        ];
        let wanted = vec!["job_change".to_owned(), "qualification".to_owned()];
        let niigata = Prefecture::parse("15");
        let slugs = |list: Vec<PublicScheme>| list.into_iter().map(|s| s.slug).collect::<Vec<_>>();
        assert_eq!(
            slugs(rank_by_fit(schemes.clone(), &wanted, niigata, 10)),
            ["two-fits", "one-fit", "also-one"]
        );
        assert_eq!(
            slugs(rank_by_fit(
                schemes.clone(),
                &wanted,
                Prefecture::parse("13"),
                2
            )),
            ["two-fits", "tokyo-only"]
        );
        assert!(rank_by_fit(schemes, &[], niigata, 10).is_empty());
    }
}
