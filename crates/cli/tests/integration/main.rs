//! The `tsunagari` binary run as an operator runs it.
//!
//! One test binary for the whole crate, not one per file: each binary links
//! every dependency again, and one per file filled CI's disk.

mod cli;
mod common;
mod import;
mod operators;
mod reindex;
