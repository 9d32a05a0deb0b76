//! The small arithmetic behind staff reports: medians of durations, the share
//! of requests answered within their period, months in Saudi time, and the
//! smallest group whose figure may be shown (C2).

use crate::calendar::DualDate;

/// The median; between two middle values, their mean rounded down. `None` for
/// no values. The median, not the mean, because one forgotten request would
/// otherwise make every month look slow.
pub fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => {
            // Summed in i128 so two large durations cannot overflow.
            let sum = i128::from(sorted[middle - 1]) + i128::from(sorted[middle]);
            i64::try_from(sum.div_euclid(2)).ok()
        }
    }
}

/// `part` of `total` in thousandths rounded to nearest: the share of the
/// decided requests decided within their period (counted by the database,
/// which counts the due moment itself as within). `None` for no total.
pub fn share_of(part: i64, total: i64) -> Option<u32> {
    let (part, total) = (u64::try_from(part).ok()?, u64::try_from(total).ok()?);
    if total == 0 {
        return None;
    }
    u32::try_from((part * 1000 + total / 2) / total).ok()
}

/// The Gregorian month, in Saudi time, of a moment: "2026-03". Keys sort in
/// time order as text.
pub fn month_key(unix_seconds: i64) -> String {
    let day = DualDate::from_unix_seconds(unix_seconds).gregorian;
    format!("{:04}-{:02}", day.year, day.month)
}

/// A month typed as "2026-03" (what `<input type=month>` sends; digits in any
/// script): the Gregorian year and month, if it is one.
pub fn parse_month(input: &str) -> Option<(i32, u8)> {
    let typed = crate::digits::normalize_digits(input.trim()).replace('/', "-");
    let (year, month) = typed.split_once('-')?;
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

/// The moments a report over whole months covers: from the start of `from`
/// (Saudi time) up to, not including, the start of the month after `to`.
pub fn month_range(from: Option<(i32, u8)>, to: Option<(i32, u8)>) -> (Option<i64>, Option<i64>) {
    let start = |(year, month): (i32, u8)| {
        crate::calendar::start_of_day_unix(crate::calendar::CalendarDay { year, month, day: 1 })
    };
    let after = |(year, month): (i32, u8)| if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    (from.map(start), to.map(|to| start(after(to))))
}

/// Fewer people than this in a group and its figure is not shown, so that no
/// respondent or staff member can be singled out (C2).
pub const MIN_GROUP_SIZE: usize = 5;

pub fn may_show_group(size: usize) -> bool {
    size >= MIN_GROUP_SIZE
}

/// A person's age in whole years on `today`, from a birth date "YYYY-MM-DD".
pub fn age_on(birth_date: &str, today: crate::calendar::CalendarDay) -> Option<i32> {
    let born = crate::calendar::CalendarDay::parse_typed(birth_date).ok()?;
    let mut age = today.year - born.year;
    if (today.month, today.day) < (born.month, born.day) {
        age -= 1;
    }
    (age >= 0).then_some(age)
}

/// Ages in bands, never exact (B8).
pub fn age_band(age: Option<i32>) -> &'static str {
    match age {
        None => "unknown",
        Some(..18) => "0-17",
        Some(18..30) => "18-29",
        Some(30..45) => "30-44",
        Some(45..60) => "45-59",
        Some(_) => "60+",
    }
}

pub fn household_band(members: i64) -> &'static str {
    match members {
        ..=2 => "1-2",
        3..=5 => "3-5",
        _ => "6+",
    }
}

pub fn income_band(monthly_income: i64) -> &'static str {
    match monthly_income {
        ..2000 => "0-1999",
        2000..5000 => "2000-4999",
        _ => "5000+",
    }
}

/// One person's request, reduced to generalised attributes: no name, number,
/// date or place (B8).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResearchKey {
    pub age_band: &'static str,
    pub household_band: &'static str,
    pub income_band: &'static str,
    pub support_kind: String,
    pub outcome: String,
}

/// The groups that may be released: those of at least [`MIN_GROUP_SIZE`]
/// people (k-anonymity with k = 5), with their size; smaller ones are withheld.
pub fn releasable_groups(keys: impl IntoIterator<Item = ResearchKey>) -> Vec<(ResearchKey, usize)> {
    let mut groups: std::collections::BTreeMap<ResearchKey, usize> = std::collections::BTreeMap::new();
    for key in keys {
        *groups.entry(key).or_default() += 1;
    }
    groups.into_iter().filter(|(_, size)| may_show_group(*size)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_banded_and_counted_from_the_birthday() {
        let today = crate::calendar::CalendarDay { year: 2026, month: 11, day: 25 };
        assert_eq!(age_on("1996-11-25", today), Some(30));
        assert_eq!(age_on("1996-11-26", today), Some(29));
        assert_eq!(age_on("not a date", today), None);
        assert_eq!(age_band(Some(29)), "18-29");
        assert_eq!(age_band(Some(60)), "60+");
        assert_eq!((household_band(2), household_band(6)), ("1-2", "6+"));
        assert_eq!((income_band(1999), income_band(2000)), ("0-1999", "2000-4999"));
    }

    #[test]
    fn no_group_of_fewer_than_five_people_is_released() {
        let key = |kind: &str| ResearchKey {
            age_band: "30-44",
            household_band: "3-5",
            income_band: "0-1999",
            support_kind: kind.into(),
            outcome: "accepted".into(),
        };
        let keys = std::iter::repeat_n(key("rent"), 5).chain(std::iter::repeat_n(key("medical"), 4));
        let groups = releasable_groups(keys);
        assert_eq!(groups, [(key("rent"), 5)]);
        assert!(releasable_groups(std::iter::repeat_n(key("rent"), 4)).is_empty());
    }

    #[test]
    fn months_are_read_in_any_digits_and_cover_whole_months_in_saudi_time() {
        assert_eq!(parse_month("2026-03"), Some((2026, 3)));
        assert_eq!(parse_month("٢٠٢٦-١٢"), Some((2026, 12)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("March"), None);
        let (from, to) = month_range(Some((2026, 12)), Some((2026, 12)));
        let (from, to) = (from.unwrap(), to.unwrap());
        assert_eq!(month_key(from), "2026-12");
        assert_eq!(month_key(from - 1), "2026-11");
        assert_eq!(month_key(to - 1), "2026-12");
        assert_eq!(month_key(to), "2027-01");
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[9, 1, 5]), Some(5));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2));
        assert_eq!(median(&[1, 2]), Some(1));
        assert_eq!(median(&[10, 20, 30, 1_000_000]), Some(25));
        assert_eq!(median(&[-3, -1]), Some(-2));
        assert_eq!(median(&[-3, -2]), Some(-3));
        assert_eq!(median(&[i64::MIN, i64::MAX]), Some(-1));
        assert_eq!(median(&[i64::MAX, i64::MAX - 2]), Some(i64::MAX - 1));
    }

    #[test]
    fn median_leaves_the_input_alone() {
        let values = [3, 1, 2];
        assert_eq!(median(&values), Some(2));
        assert_eq!(values, [3, 1, 2]);
    }

    #[test]
    fn shares_are_in_thousandths_rounded_to_nearest() {
        assert_eq!(share_of(0, 0), None);
        assert_eq!(share_of(1, 1), Some(1000));
        assert_eq!(share_of(0, 1), Some(0));
        assert_eq!(share_of(1, 2), Some(500));
        // 2 of 3 is 666.67‰, rounded to 667; 1 of 3 to 333.
        assert_eq!(share_of(2, 3), Some(667));
        assert_eq!(share_of(1, 3), Some(333));
        assert_eq!(share_of(-1, 3), None, "a count is never negative");
    }

    #[test]
    fn months_are_counted_in_saudi_time() {
        // 2024-03-31 21:30 UTC is already 1 April (00:30) in Riyadh.
        assert_eq!(month_key(1_711_920_600), "2024-04");
        assert_eq!(month_key(1_711_920_600 - 3600), "2024-03");
        assert_eq!(month_key(0), "1970-01");
        assert!(month_key(1_704_067_200) < month_key(1_711_920_600));
    }

    #[test]
    fn small_groups_are_not_shown() {
        assert!(!may_show_group(0));
        assert!(!may_show_group(MIN_GROUP_SIZE - 1));
        assert!(may_show_group(MIN_GROUP_SIZE));
        assert!(may_show_group(1000));
    }
}
