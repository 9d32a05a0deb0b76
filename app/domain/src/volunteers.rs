//! Volunteering (A18's volunteering channel): an application's status, the
//! times a volunteer is free, and the rules of the hours recorded for them.

use serde::{Deserialize, Serialize};

use crate::calendar::CalendarDay;

crate::code_table! {
    /// Where a verified application stands. An application whose mobile was not
    /// confirmed yet has no status staff ever see.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum VolunteerStatus {
        Pending = "pending",
        Accepted = "accepted",
        Declined = "declined",
    }
}

crate::code_table! {
    /// When a volunteer can give their time.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Availability {
        Weekdays = "weekdays",
        Weekends = "weekends",
        Evenings = "evenings",
        Flexible = "flexible",
    }
}

/// Longest skills or areas text, in characters.
pub const MAX_SKILLS_CHARS: usize = 500;
/// Fewest and most hours recorded for one day and activity, in half hours.
pub const MIN_HALF_HOURS: i64 = 1;
pub const MAX_HALF_HOURS: i64 = 48;

/// Why recorded hours were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursProblem {
    Required,
    /// Not a number of half hours.
    Invalid,
    /// Under half an hour or over a day.
    OutOfRange,
}

/// Hours typed as "2", "1.5" or "٣٫٥", in half hours: 0.5 to 24 by halves.
pub fn parse_half_hours(input: &str) -> Result<i64, HoursProblem> {
    let typed = crate::digits::normalize_digits(input.trim()).replace(['٫', ','], ".");
    if typed.is_empty() {
        return Err(HoursProblem::Required);
    }
    let (whole, fraction) = typed.split_once('.').unwrap_or((&typed, ""));
    let whole_ok = !whole.is_empty() && whole.len() <= 3 && whole.chars().all(|c| c.is_ascii_digit());
    let fraction = fraction.trim_end_matches('0');
    if !whole_ok || !(fraction.is_empty() || fraction == "5") {
        return Err(HoursProblem::Invalid);
    }
    let whole: i64 = whole.parse().map_err(|_| HoursProblem::Invalid)?;
    let halves = whole * 2 + i64::from(fraction == "5");
    if !(MIN_HALF_HOURS..=MAX_HALF_HOURS).contains(&halves) {
        return Err(HoursProblem::OutOfRange);
    }
    Ok(halves)
}

/// Half hours as shown: "2", "1.5".
pub fn hours_text(half_hours: i64) -> String {
    if half_hours % 2 == 0 { (half_hours / 2).to_string() } else { format!("{}.5", half_hours / 2) }
}

/// A day as stored and sent by `<input type=date>`: "2026-11-30".
pub fn day_text(day: CalendarDay) -> String {
    day.iso()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_half_hours_from_half_to_a_day() {
        assert_eq!(parse_half_hours("2"), Ok(4));
        assert_eq!(parse_half_hours("1.5"), Ok(3));
        assert_eq!(parse_half_hours("٣٫٥"), Ok(7));
        assert_eq!(parse_half_hours("0.5"), Ok(1));
        assert_eq!(parse_half_hours("24"), Ok(48));
        assert_eq!(parse_half_hours(""), Err(HoursProblem::Required));
        assert_eq!(parse_half_hours("1.25"), Err(HoursProblem::Invalid));
        assert_eq!(parse_half_hours("abc"), Err(HoursProblem::Invalid));
        assert_eq!(parse_half_hours("0"), Err(HoursProblem::OutOfRange));
        assert_eq!(parse_half_hours("24.5"), Err(HoursProblem::OutOfRange));
        assert_eq!(hours_text(3), "1.5");
        assert_eq!(hours_text(4), "2");
    }
}
