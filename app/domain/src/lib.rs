//! Awn's domain rules.
//!
//! Everything here is plain Rust that compiles for the server and for the browser
//! (WASM) alike, and is tested without either: input normalisation, calendars,
//! locale and display preferences. Later modules (requests, permissions, consent)
//! follow the same rule: no I/O, no framework types.

pub mod calendar;
pub mod digits;
pub mod documents;
pub mod identity;
pub mod locale;
pub mod privacy_policy;
pub mod requests;
pub mod sign_in;
