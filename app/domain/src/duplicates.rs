//! Each person known once (issue 15): Arabic names normalised for matching,
//! the key that finds candidates in the database, and whether two people seen
//! in two requests are possibly the same person. Staff decide; nothing here
//! merges anyone.

use serde::{Deserialize, Serialize};

use crate::calendar::CalendarDay;
use crate::identity::clean_text;

crate::code_table! {
    /// Why two requests were flagged as possibly about the same person.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum DuplicateReason {
        /// The same national ID or iqama, as applicant or household member.
        NationalId = "national_id",
        /// The same mobile number on another account.
        Mobile = "mobile",
        /// The same name, written however, and the same birth date.
        NameAndBirthDate = "name_and_birth_date",
    }
}

crate::code_table! {
    /// What staff made of a possible duplicate.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum DuplicateStatus {
        Open = "open",
        /// The same person: the two files are linked (never merged).
        Confirmed = "confirmed",
        /// Not the same person; the reason is kept.
        Dismissed = "dismissed",
    }
}

/// Tashkeel (fathatan … sukun) and the superscript alef.
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0670}')
}

/// The particles of a lineage ("son of", "daughter of"), ignored when matching.
const PARTICLES: [&str; 3] = ["بن", "ابن", "بنت"];

/// A name's tokens normalised for matching: no diacritics or tatweel, the
/// hamza forms of alef as a bare alef, ؤ as و, ئ as ي, ء dropped, ة as ه, ى
/// as ي, "عبد" joined to the name after it, lineage particles left out.
pub fn name_tokens(name: &str) -> Vec<String> {
    let letters: String = clean_text(name)
        .chars()
        .filter(|&c| !is_diacritic(c) && c != '\u{0640}' && c != 'ء')
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            'ئ' | 'ى' => 'ي',
            'ة' => 'ه',
            other => other,
        })
        .collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut join_next = false;
    for word in letters.split_whitespace() {
        if join_next {
            if let Some(last) = tokens.last_mut() {
                last.push_str(word);
            }
            join_next = false;
            continue;
        }
        if PARTICLES.contains(&word) {
            continue;
        }
        join_next = word == "عبد";
        tokens.push(word.to_string());
    }
    tokens
}

/// The name normalised for matching, its tokens joined by one space.
pub fn normalise_name(name: &str) -> String {
    name_tokens(name).join(" ")
}

/// The key candidates are looked up by: the first and the last token (the
/// person's and the family's name) of the normalised name; empty for no name.
/// Two names that [`names_match`] share it whenever the shorter keeps the
/// longer's first and family names, as names written fully or shortly do.
pub fn name_key(name: &str) -> String {
    let tokens = name_tokens(name);
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) if tokens.len() > 1 => format!("{first} {last}"),
        (Some(first), _) => first.clone(),
        _ => String::new(),
    }
}

/// The fewest tokens a shortened name must keep to match a longer one.
pub const MIN_MATCHING_TOKENS: usize = 3;

/// Whether two names are the same once normalised, or every token of the
/// shorter (at least three) appears in order in the longer.
pub fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (name_tokens(a), name_tokens(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < MIN_MATCHING_TOKENS {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|token| rest.any(|candidate| candidate == token))
}

/// What is known of one person in one request, for matching. Ids and mobiles
/// are compared as given (normalised forms, or their lookup hashes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonFacts {
    pub national_id: Option<String>,
    /// The mobile of the account that sent the request (applicants only).
    pub mobile: Option<String>,
    pub name: String,
    pub birth_date: Option<CalendarDay>,
}

/// Whether two people (of two requests from different accounts) are possibly
/// the same, and why: the strongest reason first.
pub fn possibly_same(a: &PersonFacts, b: &PersonFacts) -> Option<DuplicateReason> {
    let same = |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if !x.is_empty() && x == y);
    if same(&a.national_id, &b.national_id) {
        return Some(DuplicateReason::NationalId);
    }
    if same(&a.mobile, &b.mobile) {
        return Some(DuplicateReason::Mobile);
    }
    match (a.birth_date, b.birth_date) {
        (Some(x), Some(y)) if x == y && names_match(&a.name, &b.name) => Some(DuplicateReason::NameAndBirthDate),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> Option<CalendarDay> {
        Some(CalendarDay { year, month, day })
    }

    fn person(name: &str, birth: Option<CalendarDay>) -> PersonFacts {
        PersonFacts { name: name.into(), birth_date: birth, ..PersonFacts::default() }
    }

    #[test]
    fn names_written_the_usual_different_ways_normalise_alike() {
        let pairs = [
            ("أحمد محمد الغامدي", "احمد محمد الغامدي"),
            ("فاطمة علي القحطاني", "فاطمه علي القحطاني"),
            ("مصطفى سعيد العتيبي", "مصطفي سعيد العتيبي"),
            ("عبد الله خالد الشمري", "عبدالله خالد الشمري"),
            ("عبد الرحمن سالم الدوسري", "عبدالرحمن سالم الدوسري"),
            ("إبراهيم آدم الحربي", "ابراهيم ادم الحربي"),
            ("مُحَمَّد عَلِيّ الزَّهْرَانِي", "محمد علي الزهراني"),
            ("محـــمد علـي الزهراني", "محمد علي الزهراني"),
            ("لؤي رائد المطيري", "لوي رايد المطيري"),
            ("  سارة   بنت  فهد  السبيعي ", "ساره فهد السبيعي"),
            ("خالد بن سعد ابن عمر", "خالد سعد عمر"),
        ];
        for (a, b) in pairs {
            assert_eq!(normalise_name(a), normalise_name(b), "{a} / {b}");
            assert!(names_match(a, b), "{a} / {b}");
            assert_eq!(name_key(a), name_key(b), "{a} / {b}");
        }
        assert_eq!(normalise_name("عبد الله"), "عبدالله");
        assert_eq!(name_key("أحمد محمد علي الغامدي"), "احمد الغامدي");
        assert_eq!(name_key(""), "");
    }

    #[test]
    fn a_shorter_name_matches_when_its_tokens_appear_in_order() {
        assert!(names_match("أحمد محمد علي الغامدي", "احمد علي الغامدي"));
        assert!(!names_match("أحمد محمد علي الغامدي", "احمد الغامدي"), "two tokens are too few");
        assert!(!names_match("أحمد محمد علي الغامدي", "علي احمد الغامدي"), "out of order");
    }

    #[test]
    fn the_same_person_is_found_by_id_mobile_or_name_and_birth_date() {
        let id = |id: &str| PersonFacts { national_id: Some(id.into()), ..PersonFacts::default() };
        assert_eq!(possibly_same(&id("1000000008"), &id("1000000008")), Some(DuplicateReason::NationalId));
        assert_eq!(possibly_same(&id("1000000008"), &id("1000000016")), None);
        let mobile = |m: &str| PersonFacts { mobile: Some(m.into()), ..PersonFacts::default() };
        assert_eq!(possibly_same(&mobile("+966500000001"), &mobile("+966500000001")), Some(DuplicateReason::Mobile));
        assert_eq!(possibly_same(&mobile(""), &mobile("")), None, "nothing known is no match");
        assert_eq!(
            possibly_same(
                &person("فاطمة عبد الله الشهري", day(1980, 3, 1)),
                &person("فاطمه عبدالله الشهري", day(1980, 3, 1))
            ),
            Some(DuplicateReason::NameAndBirthDate)
        );
    }

    #[test]
    fn different_people_are_not_flagged() {
        let born = day(1990, 5, 17);
        // The same name, another birth date.
        assert_eq!(
            possibly_same(&person("أحمد محمد الغامدي", born), &person("أحمد محمد الغامدي", day(1991, 5, 17))),
            None
        );
        // Another first name.
        assert_eq!(possibly_same(&person("أحمد محمد الغامدي", born), &person("خالد محمد الغامدي", born)), None);
        // Only the family name in common.
        assert_eq!(possibly_same(&person("أحمد محمد الغامدي", born), &person("سعد فهد الغامدي", born)), None);
        // No birth date known.
        assert_eq!(possibly_same(&person("أحمد محمد الغامدي", None), &person("أحمد محمد الغامدي", None)), None);
        assert!(!names_match("", ""));
    }
}
