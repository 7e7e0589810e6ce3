//! Community tools: the kind-specific instruments that sit inside a
//! community beside its threads and events — ballots, the opinion box, the
//! co-op share register and the union's counselling, petitions and
//! solidarity fund.
//!
//! Which tools a community may use depends on its kind (a share register
//! only makes sense for a worker co-op), and which of those are switched on
//! is the organisers' choice, starting from the kind's defaults. Ballots and
//! the opinion box help every kind, so organisers can switch them on
//! anywhere.

use crate::community::CommunityKind;

/// A tool a community can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommunityTool {
    /// Proposals and ballots, one member one vote.
    Ballots,
    /// The opinion box: every opinion gets a recorded response (意見の反映).
    OpinionBox,
    /// Members' capital contributions in units (口) on a ledger.
    ShareRegister,
    /// Career-counselling requests answered by the union's counsellors.
    Counselling,
    /// Petitions with signatures and milestones.
    Petitions,
    /// A solidarity fund: contributions, claims, payouts, a public ledger.
    SolidarityFund,
}

impl CommunityTool {
    /// Every tool, in the order pages list them.
    pub const ALL: [CommunityTool; 6] = [
        CommunityTool::Ballots,
        CommunityTool::OpinionBox,
        CommunityTool::ShareRegister,
        CommunityTool::Counselling,
        CommunityTool::Petitions,
        CommunityTool::SolidarityFund,
    ];

    /// The stable name used in the database, the API and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            CommunityTool::Ballots => "ballots",
            CommunityTool::OpinionBox => "opinions",
            CommunityTool::ShareRegister => "shares",
            CommunityTool::Counselling => "counselling",
            CommunityTool::Petitions => "petitions",
            CommunityTool::SolidarityFund => "fund",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<CommunityTool> {
        let name = name.trim();
        CommunityTool::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Whether a community of `kind` may switch this tool on at all.
    pub fn offered_to(self, kind: CommunityKind) -> bool {
        match self {
            CommunityTool::Ballots | CommunityTool::OpinionBox => true,
            CommunityTool::ShareRegister => kind == CommunityKind::WorkerCoop,
            CommunityTool::Counselling
            | CommunityTool::Petitions
            | CommunityTool::SolidarityFund => kind == CommunityKind::Union,
        }
    }

    /// Whether the tool is on for a new community of `kind` until its
    /// organisers decide otherwise.
    pub fn on_by_default(self, kind: CommunityKind) -> bool {
        match kind {
            CommunityKind::WorkerCoop => matches!(
                self,
                CommunityTool::Ballots | CommunityTool::OpinionBox | CommunityTool::ShareRegister
            ),
            CommunityKind::Union => matches!(
                self,
                CommunityTool::Ballots
                    | CommunityTool::Counselling
                    | CommunityTool::Petitions
                    | CommunityTool::SolidarityFund
            ),
            _ => false,
        }
    }

    /// The tools offered to `kind`, in page order.
    pub fn offered(kind: CommunityKind) -> Vec<CommunityTool> {
        CommunityTool::ALL
            .into_iter()
            .filter(|t| t.offered_to(kind))
            .collect()
    }
}

/// Which tools are on for one community: the kind's defaults, overridden
/// by the organisers' stored choices; a stored choice for a tool the kind
/// is not offered never switches it on.
pub fn enabled_tools(kind: CommunityKind, choices: &[(CommunityTool, bool)]) -> Vec<CommunityTool> {
    CommunityTool::offered(kind)
        .into_iter()
        .filter(|tool| {
            choices
                .iter()
                .rev()
                .find(|(t, _)| t == tool)
                .map_or_else(|| tool.on_by_default(kind), |(_, on)| *on)
        })
        .collect()
}

/// The stored form of tool choices: one `tool=1` or `tool=0` line each.
pub fn format_choices(choices: &[(CommunityTool, bool)]) -> String {
    choices
        .iter()
        .map(|(tool, on)| format!("{}={}", tool.as_str(), u8::from(*on)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `format_choices` text back; `None` when it is malformed.
pub fn parse_choices(text: &str) -> Option<Vec<(CommunityTool, bool)>> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (name, on) = line.split_once('=')?;
            let on = match on {
                "1" => true,
                "0" => false,
                _ => return None,
            };
            Some((CommunityTool::parse(name)?, on))
        })
        .collect()
}

/// The choices after setting `tool` to `on`: one entry per tool, in page order.
pub fn with_choice(
    choices: &[(CommunityTool, bool)],
    tool: CommunityTool,
    on: bool,
) -> Vec<(CommunityTool, bool)> {
    let mut next: Vec<(CommunityTool, bool)> = choices
        .iter()
        .copied()
        .filter(|(t, _)| *t != tool)
        .collect();
    next.push((tool, on));
    next.sort();
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for tool in CommunityTool::ALL {
            assert_eq!(CommunityTool::parse(tool.as_str()), Some(tool));
        }
        assert_eq!(CommunityTool::parse("nothing"), None);
    }

    #[test]
    fn stored_choices_round_trip() {
        let choices = with_choice(
            &with_choice(&[], CommunityTool::SolidarityFund, false),
            CommunityTool::Ballots,
            true,
        );
        assert_eq!(
            choices,
            vec![
                (CommunityTool::Ballots, true),
                (CommunityTool::SolidarityFund, false)
            ]
        );
        assert_eq!(parse_choices(&format_choices(&choices)), Some(choices));
        assert_eq!(parse_choices(""), Some(vec![]));
        assert_eq!(parse_choices("ballots=yes"), None);
        assert_eq!(parse_choices("nothing=1"), None);
        let replaced = with_choice(
            &[(CommunityTool::Ballots, true)],
            CommunityTool::Ballots,
            false,
        );
        assert_eq!(replaced, vec![(CommunityTool::Ballots, false)]);
    }

    #[test]
    fn defaults_follow_the_kind() {
        let coop = enabled_tools(CommunityKind::WorkerCoop, &[]);
        assert_eq!(
            coop,
            vec![
                CommunityTool::Ballots,
                CommunityTool::OpinionBox,
                CommunityTool::ShareRegister
            ]
        );
        let union = enabled_tools(CommunityKind::Union, &[]);
        assert!(union.contains(&CommunityTool::SolidarityFund));
        assert!(!union.contains(&CommunityTool::ShareRegister));
        assert!(enabled_tools(CommunityKind::Professional, &[]).is_empty());
    }

    #[test]
    fn choices_override_defaults_but_never_add_unoffered_tools() {
        let on = enabled_tools(
            CommunityKind::Professional,
            &[
                (CommunityTool::Ballots, true),
                (CommunityTool::SolidarityFund, true),
            ],
        );
        assert_eq!(on, vec![CommunityTool::Ballots]);
        let off = enabled_tools(
            CommunityKind::WorkerCoop,
            &[(CommunityTool::ShareRegister, false)],
        );
        assert!(!off.contains(&CommunityTool::ShareRegister));
        assert!(off.contains(&CommunityTool::Ballots));
    }
}
