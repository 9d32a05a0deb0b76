//! Pieces shared by pages.

pub mod dates;
pub mod layout;
pub mod messages;
