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
