//! The store contract on SQLite and PostgreSQL, one module per area.
//!
//! One test binary for the whole crate, not one per file: each binary links
//! every dependency again, and one per file filled CI's disk.

mod ballots_contract;
mod common;
mod contract;
mod counselling_contract;
mod events_contract;
mod fund_contract;
mod home_contract;
mod opinions_contract;
mod organisations_contract;
mod pages_contract;
mod petitions_contract;
mod public_schemes_contract;
mod search_contract;
mod self_check_contract;
mod shares_contract;
mod threads_contract;
mod tools_contract;
