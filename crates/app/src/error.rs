//! What can go wrong in a use case, in terms a person can be told.

use tsunagari_domain::ballot::{BallotFieldError, OutcomeFieldError};
use tsunagari_domain::community::CommunityFieldError;
use tsunagari_domain::directory::ProfileFieldError;
use tsunagari_domain::event::EventFieldError;
use tsunagari_domain::thread::PostFieldError;
use tsunagari_domain::{DisplayNameError, EmailError, PasswordRejection};
use tsunagari_store::StoreError;

/// A form or request field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// E-mail address.
    Email,
    /// Display name.
    DisplayName,
    /// The password being chosen.
    Password,
    /// The password in use, asked to confirm a sensitive change.
    CurrentPassword,
    /// The new password typed a second time.
    PasswordConfirmation,
    /// Interface language.
    Locale,
    /// Time zone.
    TimeZone,
    /// The "I understand" box on account deletion.
    Confirmation,
    /// A community's kind.
    Kind,
    /// A community's name.
    Name,
    /// A community's description.
    Description,
    /// A community's tags.
    Tags,
    /// A prefecture code.
    Prefecture,
    /// A municipality code.
    Municipality,
    /// Who can read a community.
    Visibility,
    /// How people join a community.
    Membership,
    /// The question asked of people who request to join.
    JoinQuestion,
    /// A corporate alumni network's company.
    CompanyName,
    /// The community a sub-group belongs to.
    Parent,
    /// A member's role.
    Role,
    /// A member's occupation.
    Occupation,
    /// A member's introduction.
    Bio,
    /// Who sees a directory field.
    FieldVisibility,
    /// A thread's or an event's title.
    Title,
    /// A post's body.
    Body,
    /// The reason given with a report or a moderation action.
    Reason,
    /// An event's start (local date and time).
    StartsAt,
    /// An event's end.
    EndsAt,
    /// An event's meeting link.
    OnlineUrl,
    /// An event's venue.
    Venue,
    /// An event's capacity.
    Capacity,
    /// Whether an event is online (it must be online, in person or both).
    Online,
    /// An answer to a self-check item (the item id).
    Answer(&'static str),
    /// Self-check answers as a whole (an unknown item).
    Answers,
    /// A public scheme's category (a filter).
    Category,
    /// A life-career action id (a filter).
    Action,
    /// The member a share-register entry is for.
    ShareMember,
    /// Units of a share-register entry.
    ShareUnits,
    /// Yen of a share-register entry.
    ShareAmount,
    /// The entry a share-register reversal cancels.
    ShareReverses,
    /// A share-register entry's note.
    ShareNote,
    /// A co-op's price per unit.
    SharePrice,
    /// The status an opinion response sets.
    OpinionStatus,
    /// A ballot's options.
    Options,
    /// A ballot's opening (local date and time).
    OpensAt,
    /// A ballot's closing.
    ClosesAt,
    /// A ballot's quorum.
    Quorum,
    /// A ballot's threshold to pass.
    Threshold,
    /// The option voted for.
    OptionId,
    /// A ballot's recorded outcome.
    Outcome,
    /// A follow-up action of a ballot.
    FollowUp,
    /// A follow-up action's due date.
    DueOn,
    /// A counselling request's topic.
    Topic,
    /// A counselling request's preferred channel.
    Channel,
    /// A counselling request's contact (phone number, video call).
    Contact,
    /// When a member can talk.
    PreferredTimes,
    /// A closing summary.
    Summary,
    /// The person named as a counsellor or committee member.
    Person,
    /// A petition's demand.
    Demand,
    /// A petition's target.
    Target,
    /// A petition's signature goal.
    Goal,
    /// A petition's deadline.
    Deadline,
    /// Who may sign a petition.
    Audience,
    /// An amount of yen.
    Amount,
    /// A decision's note.
    Note,
    /// The approvals a fund claim needs.
    ApprovalsNeeded,
    /// Who decides fund claims: `committee` or `ballot`.
    DecisionMethod,
    /// How many days a vote on a fund claim runs.
    BallotDays,
    /// The quorum of a vote on a fund claim.
    BallotQuorum,
    /// The message with a claim of a directory listing.
    Message,
    /// The words of a search.
    Query,
    /// The type of result a search asks for.
    DocType,
    /// A tag to filter by.
    Tag,
    /// The first day of a date range.
    DateFrom,
    /// The last day of a date range.
    DateTo,
    /// A page number.
    Page,
}

impl Field {
    /// The field's name in forms and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::DisplayName => "display_name",
            Field::Password => "password",
            Field::CurrentPassword => "current_password",
            Field::PasswordConfirmation => "password_confirmation",
            Field::Locale => "locale",
            Field::TimeZone => "time_zone",
            Field::Confirmation => "confirm",
            Field::Kind => "kind",
            Field::Name => "name",
            Field::Description => "description",
            Field::Tags => "tags",
            Field::Prefecture => "prefecture",
            Field::Municipality => "municipality",
            Field::Visibility => "visibility",
            Field::Membership => "membership",
            Field::JoinQuestion => "join_question",
            Field::CompanyName => "company_name",
            Field::Parent => "parent_id",
            Field::Role => "role",
            Field::Occupation => "occupation",
            Field::Bio => "bio",
            Field::FieldVisibility => "visibility",
            Field::Title => "title",
            Field::Body => "body",
            Field::Reason => "reason",
            Field::StartsAt => "starts_at",
            Field::EndsAt => "ends_at",
            Field::OnlineUrl => "online_url",
            Field::Venue => "venue",
            Field::Capacity => "capacity",
            Field::Online => "online",
            Field::Answer(id) => id,
            Field::Answers => "answers",
            Field::Category => "category",
            Field::Action => "action",
            Field::ShareMember => "member_id",
            Field::ShareUnits => "units",
            Field::ShareAmount => "amount",
            Field::ShareReverses => "reverses",
            Field::ShareNote => "note",
            Field::SharePrice => "unit_price",
            Field::OpinionStatus => "status",
            Field::Options => "options",
            Field::OpensAt => "opens_at",
            Field::ClosesAt => "closes_at",
            Field::Quorum => "quorum",
            Field::Threshold => "threshold",
            Field::OptionId => "option_id",
            Field::Outcome => "outcome",
            Field::FollowUp => "follow_up",
            Field::DueOn => "due_on",
            Field::Topic => "topic",
            Field::Channel => "channel",
            Field::Contact => "contact",
            Field::PreferredTimes => "preferred_times",
            Field::Summary => "summary",
            Field::Person => "user_id",
            Field::Demand => "demand",
            Field::Target => "target",
            Field::Goal => "goal",
            Field::Deadline => "deadline",
            Field::Audience => "audience",
            Field::Amount => "amount",
            Field::Note => "note",
            Field::ApprovalsNeeded => "approvals_needed",
            Field::DecisionMethod => "method",
            Field::BallotDays => "ballot_days",
            Field::BallotQuorum => "ballot_quorum",
            Field::Message => "message",
            Field::Query => "q",
            Field::DocType => "type",
            Field::Tag => "tag",
            Field::DateFrom => "from",
            Field::DateTo => "to",
            Field::Page => "page",
        }
    }
}

/// Why a field's value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// See `EmailError`.
    Email(EmailError),
    /// See `DisplayNameError`.
    DisplayName(DisplayNameError),
    /// See `PasswordRejection`.
    Password(PasswordRejection),
    /// The current password was wrong.
    WrongPassword,
    /// The two new passwords differ.
    Mismatch,
    /// Not a supported language.
    UnknownLocale,
    /// Not an IANA time zone.
    UnknownTimeZone,
    /// A required confirmation was not given.
    Required,
    /// The e-mail address already has an account.
    EmailTaken,
    /// A community setting is invalid.
    Community(CommunityFieldError),
    /// The parent community does not exist or cannot have more levels.
    Parent,
    /// Not a role that can be given this way.
    Role,
    /// A directory profile field is invalid.
    Profile(ProfileFieldError),
    /// A volunteer role needs a name of 1–40 characters.
    VolunteerRole,
    /// The community already has a volunteer role with this name.
    RoleNameTaken,
    /// A thread, reply or report field is invalid.
    Post(PostFieldError),
    /// An event setting is invalid.
    Event(EventFieldError),
    /// A capacity below the number of confirmed people.
    CapacityBelowConfirmed,
    /// A self-check answer is missing or not allowed.
    Answer(tsunagari_domain::selfcheck::AnswerProblem),
    /// Not a public-scheme category.
    UnknownCategory,
    /// Not a JIS prefecture code.
    UnknownPrefecture,
    /// Not one of the 17 life-career action ids.
    UnknownAction,
    /// A share-register entry field is invalid.
    Share(tsunagari_domain::share::ShareFieldError),
    /// The ledger refuses the entry as it stands.
    ShareRefused(tsunagari_domain::share::ShareRefusal),
    /// An opinion or response field is invalid.
    Opinion(tsunagari_domain::opinion::OpinionFieldError),
    /// A ballot setting is invalid.
    Ballot(BallotFieldError),
    /// Not an option of this ballot.
    UnknownOption,
    /// An outcome or follow-up action is invalid.
    BallotOutcome(OutcomeFieldError),
    /// A counselling request field is invalid.
    Counselling(tsunagari_domain::counselling::CounsellingFieldError),
    /// A petition field is invalid.
    Petition(tsunagari_domain::petition::PetitionFieldError),
    /// A solidarity-fund field is invalid.
    Fund(tsunagari_domain::fund::FundFieldError),
    /// Not `committee` or `ballot`.
    DecisionMethod,
    /// The person chosen is not an active member of the community.
    NotActiveMember,
    /// A claim message is empty, too long or has control characters.
    ClaimMessage(tsunagari_domain::organisation::ClaimTextError),
    /// A reason for declining a claim is empty, too long or has control
    /// characters.
    DeclineReason(tsunagari_domain::organisation::ClaimTextError),
    /// A search filter is invalid.
    Search(tsunagari_domain::search::SearchFieldError),
}

impl FieldProblem {
    /// The field a directory profile problem belongs to.
    pub fn profile_field(error: ProfileFieldError) -> Field {
        match error {
            ProfileFieldError::Occupation => Field::Occupation,
            ProfileFieldError::Prefecture => Field::Prefecture,
            ProfileFieldError::Bio => Field::Bio,
            ProfileFieldError::Visibility => Field::FieldVisibility,
        }
    }

    /// The field a community setting problem belongs to.
    pub fn community_field(error: CommunityFieldError) -> Field {
        match error {
            CommunityFieldError::Name => Field::Name,
            CommunityFieldError::Description => Field::Description,
            CommunityFieldError::Tags => Field::Tags,
            CommunityFieldError::Prefecture => Field::Prefecture,
            CommunityFieldError::Municipality => Field::Municipality,
            CommunityFieldError::JoinQuestion => Field::JoinQuestion,
            CommunityFieldError::CompanyName => Field::CompanyName,
            CommunityFieldError::Kind => Field::Kind,
            CommunityFieldError::Visibility => Field::Visibility,
            CommunityFieldError::Membership => Field::Membership,
        }
    }

    /// The field a post problem belongs to.
    pub fn post_field(error: PostFieldError) -> Field {
        match error {
            PostFieldError::Title => Field::Title,
            PostFieldError::Body => Field::Body,
            PostFieldError::Reason => Field::Reason,
        }
    }
}

/// Why an action is not allowed for this person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// Only members may do this.
    NotMember,
    /// Only organisers and the owner may do this.
    NotOrganiser,
    /// Only the owner may do this.
    NotOwner,
    /// The owner hands the community over before leaving.
    OwnerMustTransfer,
    /// The owner's role and membership cannot be changed by others.
    OwnerIsProtected,
    /// Organisers manage members, not each other; the owner does.
    PeerOrganiser,
    /// Banned from this community.
    Banned,
    /// Sub-groups are for members of the parent community.
    NotParentMember,
    /// Already a member, or already asked.
    AlreadyMember,
    /// Content of a members-only community.
    MembersOnly,
    /// The account owns communities; ownership goes to someone else first.
    OwnsCommunities,
    /// Only the author may edit or delete a post.
    NotAuthor,
    /// The thread no longer takes replies (deleted, hidden or removed).
    PostClosed,
    /// This person already reported this post.
    AlreadyReported,
    /// Already registered for the event.
    AlreadyRegistered,
    /// Not registered for the event.
    NotRegistered,
    /// Attendance is for confirmed people.
    NotConfirmed,
    /// The event has ended.
    EventOver,
    /// The tool is not switched on in this community (or not offered to its kind).
    ToolOff,
    /// The ballot has not opened yet.
    BallotNotOpen,
    /// The ballot has closed: votes are final.
    BallotClosed,
    /// Only members at the ballot's opening may vote in it.
    NotElector,
    /// The ballot's results are not shown to this person yet.
    ResultsHidden,
    /// A reminder went out too recently.
    ReminderTooSoon,
    /// The outcome is recorded after the ballot closes.
    BallotStillOpen,
    /// The ballot was withdrawn before it opened.
    BallotWithdrawn,
    /// The member has sent as many opinions to this box as a day allows.
    OpinionDailyLimit,
    /// The ballot has opened: too late to withdraw it.
    BallotAlreadyOpen,
    /// Only the union's counsellors may do this.
    NotCounsellor,
    /// The counselling request is closed.
    CounsellingClosed,
    /// Already signed this petition.
    AlreadySigned,
    /// Not signed, so nothing to withdraw.
    NotSigned,
    /// The petition's deadline has passed.
    PetitionClosed,
    /// Nobody decides their own fund claim.
    OwnClaim,
    /// Only the fund's committee (or, without one, the organisers) decides claims.
    NotDecider,
    /// Already decided this claim.
    AlreadyDecided,
    /// The claim is already paid or turned down.
    ClaimSettled,
    /// The claimant's account is gone; the claim can only be turned down.
    ClaimantGone,
    /// Paying the claim would overdraw the fund.
    WouldOverdraw,
    /// The members decide this claim by ballot, not the committee.
    DecidedByBallot,
    /// Only site operators may do this.
    NotOperator,
    /// The directory listing is already a community on this server.
    ListingClaimed,
    /// A claim of this person's for the listing is already waiting.
    ClaimPending,
    /// The claim was decided already.
    ClaimDecided,
}

/// Every problem found in one submission, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<(Field, FieldProblem)>);

impl FieldErrors {
    /// Records a problem.
    pub fn add(&mut self, field: Field, problem: FieldProblem) {
        self.0.push((field, problem));
    }

    /// Keeps the value when it parsed, records the problem when not.
    pub fn check<T, E>(
        &mut self,
        field: Field,
        result: Result<T, E>,
        problem: impl FnOnce(E) -> FieldProblem,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, problem(error));
                None
            }
        }
    }

    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &(Field, FieldProblem)> {
        self.0.iter()
    }

    /// The first problem with a field, if any.
    pub fn get(&self, field: Field) -> Option<FieldProblem> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, p)| *p)
    }

    /// A single-problem set.
    pub fn single(field: Field, problem: FieldProblem) -> FieldErrors {
        FieldErrors(vec![(field, problem)])
    }
}

/// The outcome of a failed use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; the form is shown again with these.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The e-mail address is already registered.
    #[error("e-mail address already registered")]
    EmailTaken,
    /// Wrong e-mail or password (never says which).
    #[error("wrong e-mail address or password")]
    BadCredentials,
    /// Too many failed logins; try again after this many seconds.
    #[error("too many failed logins")]
    Throttled {
        /// Seconds until another attempt is allowed.
        retry_after_secs: u64,
    },
    /// The thing asked for does not exist (or is not the caller's).
    #[error("not found")]
    NotFound,
    /// The person may not do this.
    #[error("not allowed: {0:?}")]
    Forbidden(Denial),
    /// The database failed; details are logged, not shown.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index failed; details are logged, not shown.
    #[error(transparent)]
    Search(#[from] tsunagari_search::SearchError),
}

impl AppError {
    /// An `Invalid` error when `errors` holds anything.
    pub fn invalid_if_any(errors: FieldErrors) -> Result<(), AppError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(errors))
        }
    }
}
