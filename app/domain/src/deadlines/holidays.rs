//! Public holidays: entered by admins in either calendar, and proposed for a
//! year from the Umm al-Qura calendar (the two Eids move eleven days a year).

use serde::{Deserialize, Serialize};

use super::work_calendar::{Holiday, HolidayKind, MAX_HOLIDAY_DAYS};
use crate::calendar::{CalendarDay, TypedDayError, gregorian_from_hijri, hijri_from_gregorian};

crate::code_table! {
    /// The calendar a date was typed in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum CalendarKind {
        #[default]
        Gregorian = "gregorian",
        Hijri = "hijri",
    }
}

/// A holiday as an admin typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayForm {
    pub kind: String,
    pub calendar: String,
    pub first_day: String,
    pub days: String,
}

/// Why a holiday was refused, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayProblem {
    KindUnknown,
    DateMissing,
    DateInvalid,
    DaysInvalid,
}

/// Reads a typed day in the chosen calendar; a Hijri day must exist in the
/// Umm al-Qura tables (no 30th of a 29-day month).
pub fn parse_day_in(calendar: CalendarKind, input: &str) -> Result<CalendarDay, TypedDayError> {
    match calendar {
        CalendarKind::Gregorian => CalendarDay::parse_typed(input),
        CalendarKind::Hijri => {
            // The shape is the same; only the month lengths differ, so read it
            // as numbers first and let the Umm al-Qura tables judge the day.
            let typed = crate::digits::normalize_digits(&crate::identity::clean_text(input)).replace('/', "-");
            if typed.is_empty() {
                return Err(TypedDayError::Empty);
            }
            let parts: Vec<u16> = typed
                .split('-')
                .map(|part| part.parse::<u16>())
                .collect::<Result<_, _>>()
                .map_err(|_| TypedDayError::Invalid)?;
            let [year, month, day] = parts.as_slice() else { return Err(TypedDayError::Invalid) };
            let (Ok(month), Ok(day)) = (u8::try_from(*month), u8::try_from(*day)) else {
                return Err(TypedDayError::Invalid);
            };
            let hijri = CalendarDay { year: i32::from(*year), month, day };
            gregorian_from_hijri(hijri)
                .filter(|gregorian| hijri_from_gregorian(*gregorian) == Some(hijri))
                .ok_or(TypedDayError::Invalid)
        }
    }
}

/// Checks a typed holiday and gives it with its first day in Gregorian.
pub fn check_holiday(form: &HolidayForm) -> Result<Holiday, Vec<(&'static str, HolidayProblem)>> {
    let mut problems = Vec::new();
    let kind = HolidayKind::from_code(form.kind.trim());
    if kind.is_none() {
        problems.push(("kind", HolidayProblem::KindUnknown));
    }
    let calendar = CalendarKind::from_code(form.calendar.trim()).unwrap_or_default();
    let first_day = match parse_day_in(calendar, &form.first_day) {
        Ok(day) => Some(day),
        Err(TypedDayError::Empty) => {
            problems.push(("first_day", HolidayProblem::DateMissing));
            None
        }
        Err(TypedDayError::Invalid | TypedDayError::NoSuchHijriDay) => {
            problems.push(("first_day", HolidayProblem::DateInvalid));
            None
        }
    };
    let days_text = crate::digits::normalize_digits(form.days.trim());
    let days = if days_text.is_empty() { Some(1) } else { days_text.parse::<u8>().ok() }
        .filter(|days| (1..=MAX_HOLIDAY_DAYS).contains(days));
    if days.is_none() {
        problems.push(("days", HolidayProblem::DaysInvalid));
    }
    match (kind, first_day, days) {
        (Some(kind), Some(first_day), Some(days)) if problems.is_empty() => Ok(Holiday { kind, first_day, days }),
        _ => Err(problems),
    }
}

/// The Saudi public holidays expected in a Gregorian year, for an admin to
/// confirm: Founding Day (22 February), National Day (23 September), and the
/// two Eids from the Umm al-Qura calendar (Eid al-Fitr from 1 Shawwal, Eid
/// al-Adha from the day of Arafah, 9 Dhu al-Hijjah, four days each). The Eids'
/// real dates follow the sighting of the moon, so they stay proposals.
pub fn proposed_holidays(year: i32) -> Vec<Holiday> {
    let mut proposed = Vec::new();
    let gregorian = |month, day| CalendarDay { year, month, day };
    proposed.push(Holiday { kind: HolidayKind::FoundingDay, first_day: gregorian(2, 22), days: 1 });
    // A Gregorian year spans parts of two Hijri years: take every Eid that
    // begins within it.
    let hijri_years = hijri_from_gregorian(gregorian(1, 1))
        .map(|d| d.year)
        .into_iter()
        .chain(hijri_from_gregorian(gregorian(12, 31)).map(|d| d.year));
    let mut eids = Vec::new();
    for hijri_year in hijri_years {
        for (kind, month, day) in [(HolidayKind::EidAlFitr, 10, 1), (HolidayKind::EidAlAdha, 12, 9)] {
            if let Some(first_day) =
                gregorian_from_hijri(CalendarDay { year: hijri_year, month, day }).filter(|first| first.year == year)
            {
                let holiday = Holiday { kind, first_day, days: 4 };
                if !eids.contains(&holiday) {
                    eids.push(holiday);
                }
            }
        }
    }
    proposed.extend(eids);
    proposed.push(Holiday { kind: HolidayKind::NationalDay, first_day: gregorian(9, 23), days: 1 });
    proposed.sort_by_key(|holiday| holiday.first_day.sort_key());
    proposed
}
