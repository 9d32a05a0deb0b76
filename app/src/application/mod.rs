//! The use cases: the one server-side layer between the adapters (`#[server]`
//! functions and the axum routes) and the domain and storage.
//!
//! A use case checks permission (it takes an [`access::Authorized`] only the
//! check can build), writes the audit entry of every personal-data read, asks
//! `awn_domain` for every rule and `awn_storage` for the data, composes the
//! notices, and answers with domain-typed outcomes. It renders nothing and reads
//! no request: the adapters hand it what it needs. See `docs/architecture.md`.

pub mod access;
pub mod casework;
pub mod intake;
pub mod my_data;
pub mod personal_data;
pub mod privacy;
pub mod reports;
pub mod requests;
pub mod satisfaction;
