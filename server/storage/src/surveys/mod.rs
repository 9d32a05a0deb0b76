//! Satisfaction surveys (A8, A16, C1–C3): surveys and their published versions,
//! invitations with single-use expiring links, anonymous responses, and the
//! records the dashboard is computed from.
//!
//! Anonymity is a property of the rows, not of the screens: an anonymous
//! response keeps no invitation id, no person, no request and no time finer than
//! its month; its invitation is only marked used, without a time.
//!
//! The seams: the builder (`builder.rs`), invitations (`invitations.rs`),
//! responses (`responses.rs`) and the dashboard's figures (`figures.rs`).

mod builder;
mod figures;
mod invitations;
mod responses;

use crate::StorageError;

pub use builder::*;
pub use figures::*;
pub use invitations::*;
pub use responses::*;

fn invalid(what: impl Into<String>) -> StorageError {
    StorageError::Invalid(what.into())
}
