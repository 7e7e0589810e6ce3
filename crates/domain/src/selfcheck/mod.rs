//! The career self-check: a private questionnaire, its scores set beside
//! the national figures, and recommendations from what is on the server.

pub mod national;
pub mod questionnaire;
pub mod recommend;
pub mod scoring;

pub use questionnaire::{Answer, AnswerProblem, AnswerProblems, Answers, Item, ItemType, Section};
pub use recommend::{
    CommunityCandidate, EventCandidate, FirstStep, Reason, Recommendation, Target, recommend,
};
pub use scoring::{ActivityGap, Incomplete, Scores, score};
