//! The web crate's integration tests: the real server on port 0 with a fresh
//! database per test, driven over HTTP like a browser or an API client.
//!
//! One test binary for the whole crate, not one per file: each binary links
//! every dependency again, and one per file filled CI's disk.

mod accounts_pages;
mod api;
mod api_support;
mod ballots;
mod common;
mod communities;
mod counselling;
mod directory;
mod events;
mod feeds;
mod fund;
mod home;
mod notifications;
mod operations;
mod opinions;
mod organisations;
mod petitions;
mod public_help;
mod search;
mod self_check;
mod shares;
mod threads;
mod tools;
