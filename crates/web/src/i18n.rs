//! Translations: Fluent message files in `locales/ja` and `locales/en`,
//! compiled into the binary. Templates never hold UI text; they ask a `Tr`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use tsunagari_domain::Locale;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ja",
        // Without this, Fluent wraps every argument in invisible bidi marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static JA: LanguageIdentifier = langid!("ja");
static EN: LanguageIdentifier = langid!("en");

/// A translator for one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    locale: Locale,
}

impl Tr {
    /// A translator for `locale`.
    pub fn new(locale: Locale) -> Tr {
        Tr { locale }
    }

    /// The locale translated into.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    fn language(&self) -> &'static LanguageIdentifier {
        match self.locale {
            Locale::Ja => &JA,
            Locale::En => &EN,
        }
    }

    /// The message `key`. A missing key shows as the key itself, which the
    /// test `every_key_exists_in_both_languages` prevents from shipping.
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(self.language(), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.t_args(key, &[(name, value.to_string())])
    }

    /// The message `key` with a number, so Fluent can choose the plural
    /// form ("1 member", "2 members").
    pub fn t_count(&self, key: &str, name: &str, count: i64) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Owned(name.to_owned()), FluentValue::from(count));
        LOCALES
            .try_lookup_with_args(self.language(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with named arguments. A value that is exactly a
    /// whole number goes to Fluent as a number, so that messages can choose
    /// a plural form by it ("1 vote", "2 votes").
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Owned((*name).to_owned()), fluent_value(value)))
            .collect();
        LOCALES
            .try_lookup_with_args(self.language(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// True when the message exists in this locale (not only by fallback).
    /// A message that needs arguments exists too, though it cannot be
    /// formatted without them.
    pub fn has(&self, key: &str) -> bool {
        // fluent-templates does not export its error type; a formatting
        // error ("Fluent errors: …") means the message was found.
        match LOCALES.lookup_single_language::<&str>(self.language(), key, None) {
            Ok(_) => true,
            Err(error) => error.to_string().starts_with("Fluent errors"),
        }
    }
}

/// A whole number written the way Rust writes it (no leading zeros or
/// plus sign, so that codes like "007" stay text) becomes a number.
fn fluent_value(value: &str) -> FluentValue<'static> {
    match value.parse::<i64>() {
        Ok(n) if n.to_string() == value => FluentValue::from(n),
        _ => FluentValue::from(value.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(source: &str) -> Vec<String> {
        source
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with(' ') && line.contains(" = "))
            .map(|line| line.split(" = ").next().unwrap().trim().to_owned())
            .collect()
    }

    /// The keys of every `.ftl` file of one language: each area may keep
    /// its messages in a file of its own (`ballots.ftl`, …).
    fn keys_of(language: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(language);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("locale folder")
            .map(|entry| entry.expect("locale file").path())
            .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        let mut all = Vec::new();
        for file in files {
            let found = keys(&std::fs::read_to_string(&file).expect("readable ftl"));
            for key in found {
                assert!(!all.contains(&key), "{key} is defined twice in {language}");
                all.push(key);
            }
        }
        all
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let ja = keys_of("ja");
        let en = keys_of("en");
        assert!(ja.len() > 50);
        for key in &ja {
            assert!(en.contains(key), "{key} is missing in en");
            assert!(Tr::new(Locale::En).has(key), "{key} does not load in en");
        }
        for key in &en {
            assert!(ja.contains(key), "{key} is missing in ja");
            assert!(Tr::new(Locale::Ja).has(key), "{key} does not load in ja");
        }
    }

    #[test]
    fn arguments_are_inserted_without_isolation_marks() {
        let text = Tr::new(Locale::En).t1("nav-signed-in-as", "name", "佐藤 葵");
        assert_eq!(text, "Signed in as 佐藤 葵");
        let text = Tr::new(Locale::Ja).t1("nav-signed-in-as", "name", "Aoi");
        assert_eq!(text, "Aoi さんとしてログイン中");
    }

    #[test]
    fn counts_choose_the_plural_form() {
        let en = Tr::new(Locale::En);
        assert_eq!(
            en.t_count("communities-member-count", "count", 1),
            "1 member"
        );
        assert_eq!(
            en.t_count("communities-member-count", "count", 2),
            "2 members"
        );
        assert_eq!(
            Tr::new(Locale::Ja).t_count("communities-member-count", "count", 1),
            "メンバー 1人"
        );
    }

    #[test]
    fn whole_numbers_among_arguments_choose_the_plural_form() {
        let en = Tr::new(Locale::En);
        let row = |votes: &str| {
            en.t_args(
                "ballot-chart-row",
                &[
                    ("option", "A".into()),
                    ("votes", votes.into()),
                    ("percent", "50".into()),
                ],
            )
        };
        assert_eq!(row("1"), "A: 1 vote (50%)");
        assert_eq!(row("2"), "A: 2 votes (50%)");
        assert_eq!(en.t1("event-capacity-of", "capacity", 1), "1 place");
        assert_eq!(en.t1("event-capacity-of", "capacity", 30), "30 places");
        // Text that only looks like a number stays as typed.
        assert_eq!(row("007"), "A: 007 votes (50%)");
        assert_eq!(en.t1("nav-signed-in-as", "name", "+81"), "Signed in as +81");
        let ja = Tr::new(Locale::Ja);
        assert_eq!(ja.t1("event-capacity-of", "capacity", 1), "定員 1人");
    }

    #[test]
    fn languages_differ() {
        assert_eq!(Tr::new(Locale::Ja).t("nav-login"), "ログイン");
        assert_eq!(Tr::new(Locale::En).t("nav-login"), "Log in");
        assert!(!Tr::new(Locale::Ja).has("no-such-key"));
    }
}
