//! Dates as the association shows them: Gregorian and Hijri (Umm al-Qura, the
//! official calendar of Saudi Arabia) side by side, in Saudi time.

use icu_calendar::{Date, cal::Hijri};
use serde::{Deserialize, Serialize};

/// Saudi Arabia keeps UTC+3 all year (no daylight saving).
pub const SAUDI_UTC_OFFSET_SECONDS: i64 = 3 * 3600;

/// A day in some calendar; months are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a typed date was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedDayError {
    Empty,
    Invalid,
    /// A Hijri date shaped right whose day the month does not have (the 30th
    /// of a 29-day Umm al-Qura month): worth its own words, as people who
    /// copy a date from an old document meet it.
    NoSuchHijriDay,
}

/// The calendar a day was typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayCalendar {
    Gregorian,
    Hijri,
}

/// A day typed in either calendar (see [`TypedDay::parse`]), with its
/// Gregorian day (what forms keep) and the calendar it was typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedDay {
    pub gregorian: CalendarDay,
    pub calendar: DayCalendar,
}

/// Years read as Hijri: every living person's birth year (1300 AH is 1882).
const HIJRI_YEARS: std::ops::RangeInclusive<i32> = 1300..=1500;
/// Years read as Gregorian; the two ranges never meet, so the year alone says
/// which calendar was meant.
const GREGORIAN_YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

impl TypedDay {
    /// Reads a day as people type it: digits in any script; `/`, `-`, `.`,
    /// spaces or Arabic commas between the parts; year first (Y-M-D) or last
    /// (D-M-Y), the four-digit year saying which; and a year of 1300–1500 is
    /// Hijri (Umm al-Qura), of 1800–2200 Gregorian. Only days that exist.
    pub fn parse(input: &str) -> Result<TypedDay, TypedDayError> {
        let typed: String = crate::identity::clean_text(input)
            .chars()
            .map(|c| match c {
                // Arabic comma, date separator, decimal and thousands separators
                // (an Arabic number pad offers them), and the usual ones.
                '/' | '-' | '.' | ',' | ' ' | '\u{060C}' | '\u{060D}' | '\u{066B}' | '\u{066C}' => '-',
                other => other,
            })
            .collect();
        let typed = crate::digits::normalize_digits(&typed);
        if typed.is_empty() {
            return Err(TypedDayError::Empty);
        }
        let parts: Vec<&str> = typed.split('-').filter(|part| !part.is_empty()).collect();
        let [first, middle, last] = parts.as_slice() else { return Err(TypedDayError::Invalid) };
        let (year, day) = match (first.len(), last.len()) {
            (4, 1..=2) => (first, last),
            (1..=2, 4) => (last, first),
            _ => return Err(TypedDayError::Invalid),
        };
        let number = |text: &str| text.chars().all(|c| c.is_ascii_digit()).then(|| text.parse::<u16>().ok()).flatten();
        let month = if middle.len() <= 2 { number(middle) } else { None };
        let (Some(year), Some(month), Some(day)) = (number(year), month, number(day)) else {
            return Err(TypedDayError::Invalid);
        };
        let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
            return Err(TypedDayError::Invalid);
        };
        let typed = CalendarDay { year: i32::from(year), month, day };
        if GREGORIAN_YEARS.contains(&typed.year) {
            // The ISO calendar knows month lengths and leap years.
            Date::try_new_iso(typed.year, month, day).map_err(|_| TypedDayError::Invalid)?;
            return Ok(TypedDay { gregorian: typed, calendar: DayCalendar::Gregorian });
        }
        if !HIJRI_YEARS.contains(&typed.year) || !(1..=12).contains(&month) || !(1..=30).contains(&day) {
            return Err(TypedDayError::Invalid);
        }
        // Shaped right, so only the month's length can be wrong; the round
        // trip catches a day the conversion would quietly move.
        gregorian_from_hijri(typed)
            .filter(|gregorian| hijri_from_gregorian(*gregorian) == Some(typed))
            .map(|gregorian| TypedDay { gregorian, calendar: DayCalendar::Hijri })
            .ok_or(TypedDayError::NoSuchHijriDay)
    }

    /// The same day in the calendar it was not typed in (what a form shows
    /// beside the field); `None` outside the Umm al-Qura tables.
    pub fn other(self) -> Option<(DayCalendar, CalendarDay)> {
        match self.calendar {
            DayCalendar::Hijri => Some((DayCalendar::Gregorian, self.gregorian)),
            DayCalendar::Gregorian => hijri_from_gregorian(self.gregorian).map(|h| (DayCalendar::Hijri, h)),
        }
    }
}

impl CalendarDay {
    /// A Gregorian day typed as YYYY-MM-DD (what `<input type=date>` sends), with
    /// slashes allowed and digits in any script; only days that exist.
    pub fn parse_typed(input: &str) -> Result<CalendarDay, TypedDayError> {
        let typed = crate::digits::normalize_digits(&crate::identity::clean_text(input)).replace('/', "-");
        if typed.is_empty() {
            return Err(TypedDayError::Empty);
        }
        let parts: Vec<&str> = typed.split('-').collect();
        let [year, month, day] = parts.as_slice() else { return Err(TypedDayError::Invalid) };
        let number = |text: &str, lengths: std::ops::RangeInclusive<usize>| {
            (lengths.contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit()))
                .then(|| text.parse::<u16>().ok())
                .flatten()
        };
        let (Some(year), Some(month), Some(day)) = (number(year, 4..=4), number(month, 1..=2), number(day, 1..=2))
        else {
            return Err(TypedDayError::Invalid);
        };
        let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
            return Err(TypedDayError::Invalid);
        };
        let year = i32::from(year);
        // The ISO calendar knows month lengths and leap years.
        Date::try_new_iso(year, month, day).map_err(|_| TypedDayError::Invalid)?;
        Ok(CalendarDay { year, month, day })
    }

    /// The day as YYYY-MM-DD, as forms take it and the database keeps it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// For comparing days: earlier days sort first.
    pub fn sort_key(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }
}

/// One day in both calendars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DualDate {
    pub gregorian: CalendarDay,
    /// `None` outside the range the Umm al-Qura tables cover.
    pub hijri: Option<CalendarDay>,
}

/// The Gregorian date of a number of days since 1970-01-01
/// (the "civil from days" algorithm of H. Hinnant).
pub(crate) fn gregorian_from_unix_days(days: i64) -> CalendarDay {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    CalendarDay { year, month, day }
}

/// The Umm al-Qura date of a Gregorian day.
pub fn hijri_from_gregorian(day: CalendarDay) -> Option<CalendarDay> {
    let iso = Date::try_new_iso(day.year, day.month, day.day).ok()?;
    let hijri = iso.to_calendar(Hijri::new_umm_al_qura());
    Some(CalendarDay { year: hijri.year().extended_year(), month: hijri.month().ordinal, day: hijri.day_of_month().0 })
}

/// The Gregorian day of an Umm al-Qura date; `None` for a day that does not
/// exist (the 30th of a 29-day month) or lies outside the tables.
pub fn gregorian_from_hijri(day: CalendarDay) -> Option<CalendarDay> {
    let hijri = Date::try_new_hijri_with_calendar(day.year, day.month, day.day, Hijri::new_umm_al_qura()).ok()?;
    let iso = hijri.to_calendar(icu_calendar::Iso);
    Some(CalendarDay { year: iso.year().extended_year(), month: iso.month().ordinal, day: iso.day_of_month().0 })
}

impl DualDate {
    /// The day, in Saudi time, of a moment given as seconds since the Unix epoch.
    pub fn from_unix_seconds(seconds: i64) -> Self {
        let local_days = (seconds + SAUDI_UTC_OFFSET_SECONDS).div_euclid(86_400);
        let gregorian = gregorian_from_unix_days(local_days);
        DualDate { gregorian, hijri: hijri_from_gregorian(gregorian) }
    }

    /// The day `days` days later (the decision date of a request, for example).
    pub fn plus_days(self, days: i64) -> Self {
        let g = self.gregorian;
        let base = unix_days_from_gregorian(g);
        let gregorian = gregorian_from_unix_days(base + days);
        DualDate { gregorian, hijri: hijri_from_gregorian(gregorian) }
    }
}

/// The first moment (Saudi time) of a Gregorian day, in Unix seconds.
pub fn start_of_day_unix(day: CalendarDay) -> i64 {
    unix_days_from_gregorian(day) * 86_400 - SAUDI_UTC_OFFSET_SECONDS
}

/// A moment: whole seconds since the Unix epoch (1970-01-01 00:00 UTC), as the
/// database keeps them. Serialized as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(i64);

impl UnixTime {
    /// The first second of 1970 (UTC).
    pub const EPOCH: UnixTime = UnixTime(0);

    pub const fn from_seconds(seconds: i64) -> Self {
        UnixTime(seconds)
    }

    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// The same moment `seconds` later (earlier when negative); it stops at the
    /// ends of the range rather than overflow.
    pub const fn plus_seconds(self, seconds: i64) -> Self {
        UnixTime(self.0.saturating_add(seconds))
    }

    /// The same moment `days` whole days (of 86 400 seconds) later. Saudi Arabia
    /// has no daylight saving, so this is also the same time of day.
    pub const fn plus_days(self, days: u32) -> Self {
        // u32::MAX days in seconds is far inside i64.
        self.plus_seconds(days as i64 * 86_400)
    }

    /// The day this moment falls on in Saudi time ([`DualDate::from_unix_seconds`]).
    pub fn date(self) -> DualDate {
        DualDate::from_unix_seconds(self.0)
    }
}

/// Days since 1970-01-01 of a Gregorian date ("days from civil").
pub(crate) fn unix_days_from_gregorian(d: CalendarDay) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(d.month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> CalendarDay {
        CalendarDay { year, month, day }
    }

    fn read(typed: &str) -> Result<(CalendarDay, DayCalendar), TypedDayError> {
        TypedDay::parse(typed).map(|t| (t.gregorian, t.calendar))
    }

    #[test]
    fn a_gregorian_day_is_read_year_first_or_last_with_any_separator() {
        let july_first = Ok((day(1990, 7, 1), DayCalendar::Gregorian));
        for typed in
            ["1990-07-01", "1990/7/1", "1990.07.01", "1990 07 01", "01/07/1990", "1-7-1990", " 1990 / 07 / 01 "]
        {
            assert_eq!(read(typed), july_first, "{typed}");
        }
        assert_eq!(read("٠١/٠٧/١٩٩٠"), july_first);
        assert_eq!(read("۱۹۹۰-۰۷-۰۱"), july_first);
        assert_eq!(read("1990،07،01"), july_first);
        assert_eq!(read("\u{200F}1990/07/01\u{200E}"), july_first);
        assert_eq!(read("2024-02-29"), Ok((day(2024, 2, 29), DayCalendar::Gregorian)));
    }

    #[test]
    fn a_hijri_day_is_read_by_its_year_and_turned_into_gregorian() {
        // 25 Dhu al-Hijjah 1410 = 18 July 1990; 1 Ramadan 1445 = 11 March 2024.
        let hijri = Ok((day(1990, 7, 18), DayCalendar::Hijri));
        assert_eq!(read("1410/12/25"), hijri);
        assert_eq!(read("١٤١٠/١٢/٢٥"), hijri);
        assert_eq!(read("٢٥-١٢-١٤١٠"), hijri);
        assert_eq!(read("25.12.1410"), hijri);
        assert_eq!(read("1445-09-01"), Ok((day(2024, 3, 11), DayCalendar::Hijri)));
    }

    #[test]
    fn days_that_do_not_exist_or_years_of_no_calendar_are_refused() {
        // Shawwal 1445 has 29 days in Umm al-Qura (1 Dhu al-Qa'dah is 9 May 2024).
        assert_eq!(hijri_from_gregorian(day(2024, 5, 9)), Some(day(1445, 11, 1)));
        assert_eq!(hijri_from_gregorian(day(2024, 5, 8)), Some(day(1445, 10, 29)));
        assert_eq!(read("1445/10/30"), Err(TypedDayError::NoSuchHijriDay));
        assert_eq!(read("٣٠/١٠/١٤٤٥"), Err(TypedDayError::NoSuchHijriDay));
        for typed in ["2023-02-29", "1990-13-01", "1990-00-10", "1410/13/01", "1410/12/31", "1410/00/05", "1600-01-01"]
        {
            assert_eq!(read(typed), Err(TypedDayError::Invalid), "{typed}");
        }
        for typed in ["1299-01-01", "1501-01-01", "1799-12-31", "2201-01-01", "90-07-01", "01-07-90", "19900701"] {
            assert_eq!(read(typed), Err(TypedDayError::Invalid), "{typed}");
        }
        for typed in ["1990-07", "1990-07-01-02", "1990-07-0a", "1990-007-01", "ab", "1990-+7-01"] {
            assert_eq!(read(typed), Err(TypedDayError::Invalid), "{typed}");
        }
        assert_eq!(read("  "), Err(TypedDayError::Empty));
        assert_eq!(read("\u{200E}"), Err(TypedDayError::Empty));
    }

    #[test]
    fn the_other_calendar_is_the_one_not_typed() {
        let typed = |text: &str| TypedDay::parse(text).ok().and_then(TypedDay::other);
        assert_eq!(typed("1410/12/25"), Some((DayCalendar::Gregorian, day(1990, 7, 18))));
        assert_eq!(typed("2024-03-11"), Some((DayCalendar::Hijri, day(1445, 9, 1))));
    }

    #[test]
    fn unix_epoch_and_known_days() {
        assert_eq!(gregorian_from_unix_days(0), day(1970, 1, 1));
        assert_eq!(gregorian_from_unix_days(-1), day(1969, 12, 31));
        // 2024-02-29 is day 19782.
        assert_eq!(gregorian_from_unix_days(19_782), day(2024, 2, 29));
        for n in [-800_000, -1, 0, 59, 19_782, 40_000, 2_000_000] {
            assert_eq!(unix_days_from_gregorian(gregorian_from_unix_days(n)), n);
        }
    }

    #[test]
    fn umm_al_qura_matches_published_dates() {
        // 1 Ramadan 1445 = 11 March 2024; 1 Muharram 1446 = 7 July 2024;
        // Saudi National Day 23 September 2025 = 1 Rabi' al-Thani 1447.
        assert_eq!(hijri_from_gregorian(day(2024, 3, 11)), Some(day(1445, 9, 1)));
        assert_eq!(hijri_from_gregorian(day(2024, 7, 7)), Some(day(1446, 1, 1)));
        assert_eq!(hijri_from_gregorian(day(2025, 9, 23)), Some(day(1447, 4, 1)));
    }

    #[test]
    fn days_are_counted_in_saudi_time() {
        // 2024-03-10 21:30 UTC is already 11 March (00:30) in Riyadh.
        let moment = 1_710_106_200;
        let date = DualDate::from_unix_seconds(moment);
        assert_eq!(date.gregorian, day(2024, 3, 11));
        assert_eq!(date.hijri, Some(day(1445, 9, 1)));
    }

    #[test]
    fn adding_days_crosses_months_and_years() {
        let start = DualDate::from_unix_seconds(1_735_560_000); // 2024-12-30 Riyadh
        assert_eq!(start.gregorian, day(2024, 12, 30));
        assert_eq!(start.plus_days(14).gregorian, day(2025, 1, 13));
    }

    #[test]
    fn unix_time_counts_seconds_and_days() {
        let start = UnixTime::from_seconds(1_700_000_000);
        assert_eq!(start.seconds(), 1_700_000_000);
        assert_eq!(start.plus_seconds(-1).seconds(), 1_699_999_999);
        assert_eq!(start.plus_days(30).seconds(), 1_700_000_000 + 30 * 86_400);
        assert_eq!(start.plus_days(0), start);
        assert!(start < start.plus_seconds(1) && UnixTime::EPOCH < start);
        assert_eq!(UnixTime::from_seconds(i64::MAX).plus_days(1).seconds(), i64::MAX);
        assert_eq!(UnixTime::from_seconds(i64::MIN).plus_seconds(-1).seconds(), i64::MIN);
        assert_eq!(UnixTime::EPOCH.date().gregorian, day(1970, 1, 1));
        assert_eq!(start.date(), DualDate::from_unix_seconds(1_700_000_000));
    }

    #[test]
    fn unix_time_is_a_bare_number_in_json() {
        let moment = UnixTime::from_seconds(1_700_000_000);
        assert_eq!(serde_json::to_string(&moment).ok().as_deref(), Some("1700000000"));
        assert_eq!(serde_json::from_str::<UnixTime>("1700000000").ok(), Some(moment));
        assert!(serde_json::from_str::<UnixTime>("\"1700000000\"").is_err());
    }
}
