//! Awn's domain rules.
//!
//! Everything here is plain Rust that compiles for the server and for the browser
//! (WASM) alike, and is tested without either: input normalisation, calendars,
//! locale and display preferences. Later modules (requests, permissions, consent)
//! follow the same rule: no I/O, no framework types.

pub mod audit;
pub mod calendar;
pub mod casework;
pub mod channels;
pub mod codes;
pub mod complaints;
pub mod consent;
pub mod deadlines;
pub mod digits;
pub mod documents;
pub mod duplicates;
pub mod identity;
pub mod ids;
pub mod improvements;
pub mod library;
pub mod locale;
pub mod paging;
pub mod parties;
pub mod privacy;
pub mod privacy_policy;
pub mod reports;
pub mod requests;
pub mod return_path;
pub mod search;
pub mod sign_in;
pub mod staff;
pub mod surveys;
pub mod volunteers;
pub mod workflow;
