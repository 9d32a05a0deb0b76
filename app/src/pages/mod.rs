//! Public pages.

pub mod home;
pub mod not_found;
pub mod privacy_policy;
