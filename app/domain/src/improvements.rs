//! Continuous improvement (A17): when an improvement action is late.

use crate::calendar::DualDate;

/// The Gregorian day of `unix_seconds` in Saudi time, as YYYY-MM-DD (how an
/// action's due date is stored and shown).
pub fn iso_day(unix_seconds: i64) -> String {
    DualDate::from_unix_seconds(unix_seconds).gregorian.iso()
}

/// An action not done whose due day (YYYY-MM-DD) is before `today` is overdue;
/// on its due day it is not yet.
pub fn action_overdue(done: bool, due_on: &str, today: &str) -> bool {
    !done && due_on < today
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_is_overdue_after_its_day_unless_done() {
        assert!(action_overdue(false, "2025-03-01", "2025-03-02"));
        assert!(!action_overdue(false, "2025-03-02", "2025-03-02"));
        assert!(!action_overdue(false, "2025-03-03", "2025-03-02"));
        assert!(!action_overdue(true, "2025-03-01", "2025-03-02"));
        assert!(action_overdue(false, "2024-12-31", "2025-01-01"));
    }

    #[test]
    fn days_are_written_in_saudi_time() {
        // 2025-01-01T21:00:00Z is midnight on 2 January in Riyadh.
        assert_eq!(iso_day(1_735_765_200), "2025-01-02");
        assert_eq!(iso_day(1_735_765_199), "2025-01-01");
    }
}
