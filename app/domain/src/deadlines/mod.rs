//! Deadlines that keep themselves (A3, A13, B3, B12): the work calendar, one
//! clock per promise, when reminders and escalations go out, and how due items
//! are grouped for the person who must act.

mod clock;
mod holidays;
mod work_calendar;

#[cfg(test)]
mod tests;

pub use clock::*;
pub use holidays::*;
pub use work_calendar::*;

use serde::{Deserialize, Serialize};

use crate::calendar::UnixTime;

crate::code_table! {
    /// The kind of item a clock follows.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SubjectKind {
        Request = "request",
        Complaint = "complaint",
        Inquiry = "inquiry",
        DataRequest = "data_request",
        PrivacyReport = "privacy_report",
        ImprovementAction = "improvement_action",
    }
}

crate::code_table! {
    /// Where a due item falls for the person who must act.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum WorkBucket {
        Overdue = "overdue",
        Today = "today",
        ThisWeek = "this_week",
        Later = "later",
    }
}

impl WorkBucket {
    /// Overdue once past; today when due on today's date (Saudi time); this
    /// week within the six days after; later otherwise.
    pub fn of(due: UnixTime, now: UnixTime) -> WorkBucket {
        if due < now {
            return WorkBucket::Overdue;
        }
        let days_ahead = local_day_number(due) - local_day_number(now);
        match days_ahead {
            ..=0 => WorkBucket::Today,
            1..=6 => WorkBucket::ThisWeek,
            _ => WorkBucket::Later,
        }
    }

    /// The last moment of the bucket "today" (Saudi time), for querying what is due.
    pub fn end_of_today(now: UnixTime) -> UnixTime {
        day_start(local_day_number(now) + 1).plus_seconds(-1)
    }

    /// The last moment of the bucket "this week", for querying what is due.
    pub fn end_of_this_week(now: UnixTime) -> UnixTime {
        day_start(local_day_number(now) + 7).plus_seconds(-1)
    }
}

crate::code_table! {
    /// What a notice in a staff member's workspace is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum NoticeKind {
        /// An item of theirs is due soon.
        Reminder = "reminder",
        /// An item of someone they supervise (or, for admins, of anyone) passed its deadline.
        Escalation = "escalation",
        /// The day's counts: overdue, due today, due this week.
        Digest = "digest",
        /// A request of theirs closed because the beneficiary never sent what was asked for.
        Lapsed = "lapsed",
    }
}

/// The share kept on time, in whole percent; `None` when nothing was met.
pub fn on_time_percent(on_time: i64, met: i64) -> Option<i64> {
    (met > 0).then(|| (on_time * 100 + met / 2) / met)
}
