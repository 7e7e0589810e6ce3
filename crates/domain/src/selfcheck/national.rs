//! The national figures a result is set beside, with their source.
//!
//! From Recruit Works Institute, 「つながり」のキャリア論 (2021), survey
//! 「働く人の共助・公助に関する意識調査」, 15–17 September 2020, internet,
//! n = 4,259 employed people aged 20–59.

/// Where the national figures come from.
pub struct Source {
    /// Publisher and report.
    pub report: &'static str,
    /// The survey's name.
    pub survey: &'static str,
    /// When it ran.
    pub fielded: &'static str,
    /// How many answered.
    pub sample_size: u32,
}

/// The survey behind every figure here.
pub const SOURCE: Source = Source {
    report: "Recruit Works Institute「つながり」のキャリア論 (2021)",
    survey: "働く人の共助・公助に関する意識調査",
    fielded: "2020-09-15/2020-09-17",
    sample_size: 4259,
};

/// Percent of workers with no mutual-support tie outside their employer.
pub const CAREER_ISOLATION_PERCENT: u8 = 72;

/// Percent who gave up a career challenge or preparation.
pub const GAVE_UP_CAREER_MOVE_PERCENT: u8 = 37;

/// Percent (about) satisfied with how their time is shared.
pub const SATISFIED_WITH_ALLOCATION_PERCENT: u8 = 30;

/// Figure 2-6: percent of employees for whom each organisation type gives
/// consultation any time, backing for a new challenge, and other ways to
/// work and live (tenths of a percent).
pub const SUPPORT_BY_SOURCE: [(&str, [u16; 3]); 14] = [
    ("employer", [146, 116, 71]),
    ("union", [28, 25, 37]),
    ("leisure_community", [24, 19, 36]),
    ("industry_association", [15, 10, 9]),
    ("adult_school", [14, 10, 14]),
    ("hr_service", [12, 11, 10]),
    ("alma_mater", [12, 6, 10]),
    ("local_group", [9, 12, 15]),
    ("political_group", [9, 6, 13]),
    ("civic_group", [6, 7, 11]),
    ("religious_group", [6, 6, 5]),
    ("hobby_circle", [5, 4, 9]),
    ("government_desk", [4, 4, 5]),
    ("other", [16, 27, 20]),
];

/// The national figure for one source and support kind (0 = consult,
/// 1 = challenge, 2 = other ways), in tenths of a percent.
pub fn support_share(source: &str, kind: usize) -> Option<u16> {
    SUPPORT_BY_SOURCE
        .iter()
        .find(|(s, _)| *s == source)
        .and_then(|(_, values)| values.get(kind).copied())
}

#[cfg(test)]
mod tests {
    use super::super::questionnaire::SUPPORT_SOURCES;
    use super::*;

    #[test]
    fn every_source_asked_about_has_its_national_figure() {
        for source in SUPPORT_SOURCES {
            for kind in 0..3 {
                assert!(support_share(source, kind).is_some(), "{source}");
            }
        }
        assert_eq!(support_share("employer", 0), Some(146));
        assert_eq!(support_share("employer", 3), None);
    }
}
