//! The deadline that applies to an item now, as its pages show it (both
//! calendars), shared by the beneficiary's tracking page and the staff case page.

use awn_domain::deadlines::ClockRule;
use serde::{Deserialize, Serialize};

/// An open clock as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineView {
    pub rule: ClockRule,
    /// None while paused.
    pub due_at: Option<i64>,
    pub paused: bool,
    pub overdue: bool,
    /// Why it was extended, once it was.
    pub extended_reason: Option<String>,
}
