//! The member directory: what each member shows of themselves in one
//! community, to whom, and the small volunteer roles they take on.

use crate::region::Prefecture;

/// Who may see one field of a member's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldVisibility {
    /// Anyone who can see the directory.
    Everyone,
    /// Members of the community (the default: private to outsiders).
    #[default]
    Members,
    /// Organisers only.
    Organisers,
    /// Nobody but the member.
    Hidden,
}

impl FieldVisibility {
    /// All choices, most open first.
    pub const ALL: [FieldVisibility; 4] = [
        FieldVisibility::Everyone,
        FieldVisibility::Members,
        FieldVisibility::Organisers,
        FieldVisibility::Hidden,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldVisibility::Everyone => "everyone",
            FieldVisibility::Members => "members",
            FieldVisibility::Organisers => "organisers",
            FieldVisibility::Hidden => "hidden",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<FieldVisibility> {
        FieldVisibility::ALL
            .into_iter()
            .find(|v| v.as_str() == name.trim())
    }

    /// Whether a viewer with this relation to the community sees the field.
    pub fn visible_to(self, viewer: Viewer) -> bool {
        match viewer {
            Viewer::Myself => true,
            Viewer::Organiser => self != FieldVisibility::Hidden,
            Viewer::Member => matches!(self, FieldVisibility::Everyone | FieldVisibility::Members),
            Viewer::Outsider => self == FieldVisibility::Everyone,
        }
    }
}

/// How the person looking at a directory entry relates to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Not a member (or not signed in).
    Outsider,
    /// A member.
    Member,
    /// An organiser or the owner.
    Organiser,
    /// The member themselves.
    Myself,
}

/// A member's entry settings in one community.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberProfile {
    /// Occupation, free text.
    pub occupation: String,
    /// Where they live now.
    pub prefecture: Option<Prefecture>,
    /// A short introduction.
    pub bio: String,
    /// Who sees the display name.
    pub name_visibility: FieldVisibility,
    /// Who sees the occupation.
    pub occupation_visibility: FieldVisibility,
    /// Who sees the region.
    pub region_visibility: FieldVisibility,
    /// Who sees the introduction.
    pub bio_visibility: FieldVisibility,
}

/// A problem with a profile form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileFieldError {
    /// Longer than 60 characters.
    Occupation,
    /// Not a prefecture code.
    Prefecture,
    /// Longer than 500 characters.
    Bio,
    /// Not a visibility choice.
    Visibility,
}

/// The profile form as typed.
#[derive(Debug, Clone, Default)]
pub struct MemberProfileDraft {
    /// Occupation.
    pub occupation: String,
    /// Prefecture code or empty.
    pub prefecture: String,
    /// Introduction.
    pub bio: String,
    /// Visibility names.
    pub name_visibility: String,
    /// Visibility names.
    pub occupation_visibility: String,
    /// Visibility names.
    pub region_visibility: String,
    /// Visibility names.
    pub bio_visibility: String,
}

impl MemberProfileDraft {
    /// Validates every field, reporting all problems.
    pub fn validate(&self) -> Result<MemberProfile, Vec<ProfileFieldError>> {
        let mut errors = Vec::new();
        let occupation = self.occupation.trim().to_owned();
        if occupation.chars().count() > 60 || occupation.chars().any(char::is_control) {
            errors.push(ProfileFieldError::Occupation);
        }
        let prefecture = match self.prefecture.trim() {
            "" => None,
            code => Prefecture::parse(code).or_else(|| {
                errors.push(ProfileFieldError::Prefecture);
                None
            }),
        };
        let bio = self.bio.trim().to_owned();
        if bio.chars().count() > 500 {
            errors.push(ProfileFieldError::Bio);
        }
        let mut visibility = |name: &str| {
            FieldVisibility::parse(name).unwrap_or_else(|| {
                if !errors.contains(&ProfileFieldError::Visibility) {
                    errors.push(ProfileFieldError::Visibility);
                }
                FieldVisibility::default()
            })
        };
        let profile = MemberProfile {
            name_visibility: visibility(&self.name_visibility),
            occupation_visibility: visibility(&self.occupation_visibility),
            region_visibility: visibility(&self.region_visibility),
            bio_visibility: visibility(&self.bio_visibility),
            occupation,
            prefecture,
            bio,
        };
        if errors.is_empty() {
            Ok(profile)
        } else {
            Err(errors)
        }
    }
}

/// A small role a member can take in a community (受付, 議事録, SNS担当…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRole {
    /// Id.
    pub id: i64,
    /// Name, 1–40 characters.
    pub name: String,
    /// What it involves.
    pub description: String,
}

/// A volunteer role name that is empty or too long, or a description over
/// 200 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("volunteer role needs a name of 1–40 characters and a description of at most 200")]
pub struct InvalidVolunteerRole;

/// Checks a volunteer role's name (1–40 characters) and description (≤ 200).
pub fn validate_volunteer_role(
    name: &str,
    description: &str,
) -> Result<(String, String), InvalidVolunteerRole> {
    let name = name.trim();
    let description = description.trim();
    if name.is_empty()
        || name.chars().count() > 40
        || description.chars().count() > 200
        || name.chars().any(char::is_control)
    {
        return Err(InvalidVolunteerRole);
    }
    Ok((name.to_owned(), description.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_matrix() {
        use FieldVisibility::*;
        use Viewer::*;
        let expect = [
            (Everyone, [true, true, true, true]),
            (Members, [false, true, true, true]),
            (Organisers, [false, false, true, true]),
            (Hidden, [false, false, false, true]),
        ];
        for (visibility, row) in expect {
            for (viewer, visible) in [Outsider, Member, Organiser, Myself].into_iter().zip(row) {
                assert_eq!(
                    visibility.visible_to(viewer),
                    visible,
                    "{visibility:?} to {viewer:?}"
                );
            }
        }
    }

    #[test]
    fn private_by_default() {
        let profile = MemberProfile::default();
        assert!(!profile.name_visibility.visible_to(Viewer::Outsider));
        assert!(profile.bio_visibility.visible_to(Viewer::Member));
    }

    #[test]
    fn drafts_are_validated() {
        let draft = MemberProfileDraft {
            occupation: "介護福祉士".into(),
            prefecture: "15".into(),
            bio: "よろしく".into(),
            name_visibility: "everyone".into(),
            occupation_visibility: "members".into(),
            region_visibility: "organisers".into(),
            bio_visibility: "hidden".into(),
        };
        let profile = draft.validate().unwrap();
        assert_eq!(profile.prefecture.unwrap().code(), "15");
        assert_eq!(profile.bio_visibility, FieldVisibility::Hidden);
        let bad = MemberProfileDraft {
            occupation: "x".repeat(61),
            prefecture: "99".into(),
            bio: "y".repeat(501),
            name_visibility: "world".into(),
            ..draft
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            vec![
                ProfileFieldError::Occupation,
                ProfileFieldError::Prefecture,
                ProfileFieldError::Bio,
                ProfileFieldError::Visibility
            ]
        );
    }

    #[test]
    fn volunteer_role_names() {
        assert_eq!(
            validate_volunteer_role(" 受付 ", "当日の受付").unwrap().0,
            "受付"
        );
        assert!(validate_volunteer_role("", "").is_err());
        assert!(validate_volunteer_role(&"あ".repeat(41), "").is_err());
    }
}
