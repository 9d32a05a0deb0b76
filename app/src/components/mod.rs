//! Pieces shared by pages.

pub mod date_field;
pub mod dates;
pub mod focus;
pub mod form;
pub mod layout;
pub mod messages;
pub mod pager;
pub mod table;
