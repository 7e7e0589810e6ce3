//! The search index: behaviour and the Japanese and English query list.
//!
//! One test binary for the whole crate, not one per file: each binary links
//! every dependency again, and one per file filled CI's disk.

mod behaviour;
mod common;
mod queries;
