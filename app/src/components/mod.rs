//! Pieces shared by pages.

pub mod dates;
pub mod focus;
pub mod form;
pub mod layout;
pub mod messages;
pub mod pager;
