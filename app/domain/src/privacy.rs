//! Rules of the privacy policy that staff forms apply: a disclosure to a third
//! party only on an authority's order (B1, B4), and the deadline for notifying
//! a personal-data breach (B12; the PDPL's implementing regulation gives 72
//! hours from becoming aware of it).

use serde::{Deserialize, Serialize};

use crate::{
    calendar::CalendarDay,
    workflow::{
        Checked, MAX_SHORT_TEXT_CHARS, WorkflowError, WorkflowProblem, parse_day, required_line, required_note,
    },
};

/// A disclosure as typed by the privacy officer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureForm {
    pub authority: String,
    pub order_reference: String,
    pub order_date: String,
    pub data_disclosed: String,
}

/// A disclosure that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The judicial or regulatory authority that ordered it.
    pub authority: String,
    pub order_reference: String,
    pub order_date: CalendarDay,
    /// What was handed over.
    pub data_disclosed: String,
}

/// Checks a disclosure: the authority, the order's reference and its date (not
/// in the future) are all required; nothing goes out without them.
pub fn check_disclosure(form: &DisclosureForm, today: CalendarDay) -> Result<Disclosure, Vec<WorkflowError>> {
    let mut checked = Checked::default();
    let authority = checked.field("authority", required_line(&form.authority, MAX_SHORT_TEXT_CHARS));
    let order_reference = checked.field("order_reference", required_line(&form.order_reference, MAX_SHORT_TEXT_CHARS));
    let order_date = checked.field(
        "order_date",
        parse_day(&form.order_date).and_then(|day| {
            if day.sort_key() > today.sort_key() { Err(WorkflowProblem::DateInFuture) } else { Ok(day) }
        }),
    );
    let data_disclosed = checked.field("data_disclosed", required_note(&form.data_disclosed));
    let disclosure = (|| {
        Some(Disclosure {
            authority: authority?,
            order_reference: crate::digits::normalize_digits(&order_reference?),
            order_date: order_date?,
            data_disclosed: data_disclosed?,
        })
    })();
    checked.finish(disclosure)
}

/// Hours from becoming aware of a breach to notifying the authority.
pub const BREACH_NOTIFICATION_HOURS: i64 = 72;

/// When the notification of a breach the association became aware of at
/// `aware_at` is due.
pub fn breach_notification_due(aware_at: i64) -> i64 {
    aware_at + BREACH_NOTIFICATION_HOURS * 3600
}

/// What is left of the time to notify, in whole minutes; negative once late.
pub fn breach_minutes_left(aware_at: i64, now: i64) -> i64 {
    (breach_notification_due(aware_at) - now).div_euclid(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> CalendarDay {
        CalendarDay { year, month, day }
    }

    fn form() -> DisclosureForm {
        DisclosureForm {
            authority: "المحكمة العامة بالرهاة".into(),
            order_reference: "٤٥/ق/١٤٤٨".into(),
            order_date: "2026-11-20".into(),
            data_disclosed: "بيانات الطلب AWN-2026-000012 ومستنداته".into(),
        }
    }

    #[test]
    fn a_disclosure_needs_the_authority_the_order_reference_and_its_date() {
        let disclosure = check_disclosure(&form(), day(2026, 11, 25)).expect("complete");
        assert_eq!(disclosure.order_reference, "45/ق/1448");
        assert_eq!(disclosure.order_date, day(2026, 11, 20));

        let without_order = DisclosureForm { order_reference: "  ".into(), ..form() };
        let errors = check_disclosure(&without_order, day(2026, 11, 25)).unwrap_err();
        assert_eq!(errors, [WorkflowError { field: "order_reference".into(), problem: WorkflowProblem::Required }]);

        let empty = check_disclosure(&DisclosureForm::default(), day(2026, 11, 25)).unwrap_err();
        let fields: Vec<&str> = empty.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["authority", "order_reference", "order_date", "data_disclosed"]);
    }

    #[test]
    fn an_order_dated_in_the_future_is_refused() {
        let errors = check_disclosure(&form(), day(2026, 11, 19)).unwrap_err();
        assert_eq!(errors, [WorkflowError { field: "order_date".into(), problem: WorkflowProblem::DateInFuture }]);
    }

    #[test]
    fn a_breach_is_notified_within_72_hours_of_becoming_aware() {
        let aware = 1_795_000_000;
        assert_eq!(breach_notification_due(aware), aware + 72 * 3600);
        assert_eq!(breach_minutes_left(aware, aware), 72 * 60);
        assert_eq!(breach_minutes_left(aware, aware + 71 * 3600 + 59 * 60 + 30), 0);
        assert_eq!(breach_minutes_left(aware, aware + 73 * 3600), -60);
    }
}
