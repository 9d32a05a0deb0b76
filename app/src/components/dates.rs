//! Dates shown in both calendars: Gregorian and Hijri (Umm al-Qura).

use awn_domain::{
    calendar::{CalendarDay, DayCalendar, DualDate},
    digits::{DigitStyle, localize_digits},
};
use leptos::prelude::*;

use crate::{i18n::*, preferences::use_digit_style};

fn gregorian_month(locale: Locale, month: u8) -> String {
    match month {
        1 => td_string!(locale, dates.gregorian_month_1),
        2 => td_string!(locale, dates.gregorian_month_2),
        3 => td_string!(locale, dates.gregorian_month_3),
        4 => td_string!(locale, dates.gregorian_month_4),
        5 => td_string!(locale, dates.gregorian_month_5),
        6 => td_string!(locale, dates.gregorian_month_6),
        7 => td_string!(locale, dates.gregorian_month_7),
        8 => td_string!(locale, dates.gregorian_month_8),
        9 => td_string!(locale, dates.gregorian_month_9),
        10 => td_string!(locale, dates.gregorian_month_10),
        11 => td_string!(locale, dates.gregorian_month_11),
        _ => td_string!(locale, dates.gregorian_month_12),
    }
    .to_string()
}

fn hijri_month(locale: Locale, month: u8) -> String {
    match month {
        1 => td_string!(locale, dates.hijri_month_1),
        2 => td_string!(locale, dates.hijri_month_2),
        3 => td_string!(locale, dates.hijri_month_3),
        4 => td_string!(locale, dates.hijri_month_4),
        5 => td_string!(locale, dates.hijri_month_5),
        6 => td_string!(locale, dates.hijri_month_6),
        7 => td_string!(locale, dates.hijri_month_7),
        8 => td_string!(locale, dates.hijri_month_8),
        9 => td_string!(locale, dates.hijri_month_9),
        10 => td_string!(locale, dates.hijri_month_10),
        11 => td_string!(locale, dates.hijri_month_11),
        _ => td_string!(locale, dates.hijri_month_12),
    }
    .to_string()
}

/// A day of either calendar written out with its era and in the person's
/// digits, e.g. "25 ذو الحجة 1410 هـ".
pub fn day_text(locale: Locale, day: CalendarDay, calendar: DayCalendar, digits: DigitStyle) -> String {
    let (month, era) = match calendar {
        DayCalendar::Gregorian => (gregorian_month(locale, day.month), td_string!(locale, dates.gregorian_era)),
        DayCalendar::Hijri => (hijri_month(locale, day.month), td_string!(locale, dates.hijri_era)),
    };
    localize_digits(&format!("{} {} {} {}", day.day, month, day.year, era), digits)
}

/// A day written out in both calendars, e.g. "24 نوفمبر 2026 م / 3 جمادى الآخرة 1448 هـ".
#[component]
pub fn DualDateText(
    /// The moment, seconds since the Unix epoch; its day is taken in Saudi time.
    unix_seconds: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let date = DualDate::from_unix_seconds(unix_seconds);
    let g = date.gregorian;
    let iso = format!("{:04}-{:02}-{:02}", g.year, g.month, g.day);
    let gregorian =
        move || day_text(i18n.get_locale(), g, DayCalendar::Gregorian, digits.try_get().unwrap_or_default());
    let hijri = move || {
        date.hijri.map(|h| day_text(i18n.get_locale(), h, DayCalendar::Hijri, digits.try_get().unwrap_or_default()))
    };
    view! {
        <span class="dual-date">
            <time datetime=iso>{gregorian}</time>
            {move || hijri().map(|h| view! { <span class="dual-date__hijri">{h}</span> })}
        </span>
    }
}
