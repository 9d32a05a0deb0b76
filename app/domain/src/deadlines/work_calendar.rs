//! The association's working time: a Friday–Saturday weekend, working hours,
//! and the public holidays admins keep. Clocks in working days skip what is not
//! working time, and staff are messaged only within it.

use serde::{Deserialize, Serialize};

use crate::calendar::{
    CalendarDay, SAUDI_UTC_OFFSET_SECONDS, UnixTime, gregorian_from_unix_days, unix_days_from_gregorian,
};

crate::code_table! {
    /// A day of the week.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Weekday {
        Sunday = "sunday",
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
    }
}

/// The Saudi weekend.
pub const WEEKEND: [Weekday; 2] = [Weekday::Friday, Weekday::Saturday];

const DAY: i64 = 86_400;

impl Weekday {
    /// The weekday of a Gregorian day.
    pub fn of(day: CalendarDay) -> Weekday {
        // 1970-01-01 was a Thursday (index 4 from Sunday).
        let index = (unix_days_from_gregorian(day) + 4).rem_euclid(7);
        Weekday::ALL[usize::try_from(index).unwrap_or(0)]
    }
}

crate::code_table! {
    /// Which public holiday a closed day is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum HolidayKind {
        EidAlFitr = "eid_al_fitr",
        EidAlAdha = "eid_al_adha",
        FoundingDay = "founding_day",
        NationalDay = "national_day",
        Other = "other",
    }
}

/// The longest holiday admins may enter in one go.
pub const MAX_HOLIDAY_DAYS: u8 = 30;

/// Days the association is closed: `days` consecutive days from `first_day`
/// (Gregorian), whatever weekdays they fall on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub kind: HolidayKind,
    pub first_day: CalendarDay,
    pub days: u8,
}

impl Holiday {
    /// The last day of the holiday.
    pub fn last_day(&self) -> CalendarDay {
        gregorian_from_unix_days(unix_days_from_gregorian(self.first_day) + i64::from(self.days.max(1)) - 1)
    }

    pub fn covers(&self, day: CalendarDay) -> bool {
        let first = unix_days_from_gregorian(self.first_day);
        let this = unix_days_from_gregorian(day);
        this >= first && this < first + i64::from(self.days.max(1))
    }
}

/// Working hours, in minutes after midnight Saudi time (08:00–16:00 by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub start_minute: u16,
    pub end_minute: u16,
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours { start_minute: 8 * 60, end_minute: 16 * 60 }
    }
}

/// Why working hours were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursProblem {
    /// Not a time of day (HH:MM).
    Invalid,
    /// The end is not after the start.
    EndBeforeStart,
}

impl WorkingHours {
    /// Reads "HH:MM" times (digits in any script); the day must not be empty.
    pub fn parse(start: &str, end: &str) -> Result<WorkingHours, HoursProblem> {
        let start_minute = parse_time_of_day(start).ok_or(HoursProblem::Invalid)?;
        let end_minute = parse_time_of_day(end).ok_or(HoursProblem::Invalid)?;
        if end_minute <= start_minute {
            return Err(HoursProblem::EndBeforeStart);
        }
        Ok(WorkingHours { start_minute, end_minute })
    }
}

/// "08:00" → 480. Accepts 00:00 to 24:00.
pub fn parse_time_of_day(input: &str) -> Option<u16> {
    let text = crate::digits::normalize_digits(input.trim());
    let (hours, minutes) = text.split_once(':')?;
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    let total = hours.checked_mul(60)?.checked_add(minutes)?;
    (minutes < 60 && total <= 24 * 60).then_some(total)
}

/// "HH:MM" of a minute of the day.
pub fn format_time_of_day(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// The calendar every clock and staff message follows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    pub hours: WorkingHours,
    pub holidays: Vec<Holiday>,
}

/// The Saudi day a moment falls on, as days since 1970-01-01.
pub(crate) fn local_day_number(at: UnixTime) -> i64 {
    (at.seconds() + SAUDI_UTC_OFFSET_SECONDS).div_euclid(DAY)
}

/// The first moment of a local day number.
pub(crate) fn day_start(day_number: i64) -> UnixTime {
    UnixTime::from_seconds(day_number * DAY - SAUDI_UTC_OFFSET_SECONDS)
}

impl WorkCalendar {
    /// The holiday a day falls in, if any.
    pub fn holiday_on(&self, day: CalendarDay) -> Option<&Holiday> {
        self.holidays.iter().find(|holiday| holiday.covers(day))
    }

    /// Not a weekend day nor a holiday.
    pub fn is_working_day(&self, day: CalendarDay) -> bool {
        !WEEKEND.contains(&Weekday::of(day)) && self.holiday_on(day).is_none()
    }

    pub(crate) fn is_working_day_number(&self, day_number: i64) -> bool {
        self.is_working_day(gregorian_from_unix_days(day_number))
    }

    /// Within working hours on a working day.
    pub fn is_working_time(&self, at: UnixTime) -> bool {
        let day = local_day_number(at);
        let minute = (at.seconds() - day_start(day).seconds()) / 60;
        self.is_working_day_number(day)
            && minute >= i64::from(self.hours.start_minute)
            && minute < i64::from(self.hours.end_minute)
    }

    /// `at` itself when it is working time, otherwise the start of the next
    /// working hours. Looks at most two years ahead (a calendar with no working
    /// day at all answers `at`).
    pub fn next_working_time(&self, at: UnixTime) -> UnixTime {
        if self.is_working_time(at) {
            return at;
        }
        let today = local_day_number(at);
        for day in today..today + 731 {
            if !self.is_working_day_number(day) {
                continue;
            }
            let opens = day_start(day).plus_seconds(i64::from(self.hours.start_minute) * 60);
            if opens >= at {
                return opens;
            }
        }
        at
    }

    /// `at` itself when it is working time, otherwise the last minute of the
    /// working hours before it (a reminder is better early than late). Looks at
    /// most two years back.
    pub fn last_working_time_before(&self, at: UnixTime) -> UnixTime {
        if self.is_working_time(at) {
            return at;
        }
        let today = local_day_number(at);
        for day in (today - 731..=today).rev() {
            if !self.is_working_day_number(day) {
                continue;
            }
            let last_minute = day_start(day).plus_seconds((i64::from(self.hours.end_minute) - 1) * 60);
            if last_minute <= at {
                return last_minute;
            }
        }
        at
    }

    /// The next moment working hours open strictly after `at` (the time of the
    /// daily digest).
    pub fn next_opening_after(&self, at: UnixTime) -> UnixTime {
        let today = local_day_number(at);
        for day in today..today + 731 {
            let opens = day_start(day).plus_seconds(i64::from(self.hours.start_minute) * 60);
            if self.is_working_day_number(day) && opens > at {
                return opens;
            }
        }
        at.plus_days(1)
    }

    /// Working days from the day of `from` (not counted) to the day of `to`
    /// (counted); negative when `to` is earlier.
    pub fn working_days_between(&self, from: UnixTime, to: UnixTime) -> i64 {
        let (a, b) = (local_day_number(from), local_day_number(to));
        let (low, high, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        sign * (low + 1..=high).filter(|day| self.is_working_day_number(*day)).count() as i64
    }
}
