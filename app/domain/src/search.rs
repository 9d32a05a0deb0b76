//! Search that finds a person however their name was typed: with or without
//! hamza and diacritics, ة or ه, ى or ي, in Arabic or Western digits. Both the
//! query and what is searched are reduced to the same key first.

use crate::digits::normalize_digits;
use crate::identity::clean_text;

/// Harakat, Quranic marks and the superscript alef: they change how a word is
/// read aloud, not which word it is.
fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

/// One letter for each group that people type interchangeably. Persian ya and
/// kaf come from some phone keyboards.
fn fold_letter(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ة' => 'ه',
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        other => other,
    }
}

/// The form of a text that search compares: digits in ASCII, no diacritics,
/// tatweel or invisible characters, folded letters, Latin in lower case, and
/// single spaces between words.
pub fn search_key(text: &str) -> String {
    let folded: String = normalize_digits(text)
        .chars()
        .filter(|&c| !is_diacritic(c))
        .map(fold_letter)
        .flat_map(char::to_lowercase)
        .collect();
    // clean_text drops tatweel and invisible characters and collapses whitespace.
    clean_text(&folded)
}

/// Whether every word of the query appears somewhere in the haystack, in any
/// order and as part of a longer word: "عبد الله" finds "عبدالله". An empty
/// query matches everything, so a blank search box filters nothing.
pub fn matches(query: &str, haystack: &str) -> bool {
    let haystack = search_key(haystack);
    search_key(query).split(' ').filter(|word| !word.is_empty()).all(|word| haystack.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hamza_forms_ta_marbuta_and_alef_maqsura_fold() {
        assert!(matches("أحمد", "احمد"));
        assert!(matches("احمد", "أحمد الزهراني"));
        assert!(matches("إبراهيم", "ابراهيم"));
        assert!(matches("آمنة", "امنه"));
        assert!(matches("فاطمة", "فاطمه"));
        assert!(matches("فاطمه", "فاطمة علي"));
        assert!(matches("ليلى", "ليلي"));
        assert!(matches("ليلي", "ليلى"));
        assert!(matches("ٱلرهاة", "الرهاه"));
        assert_eq!(search_key("أإآٱ"), "اااا");
    }

    #[test]
    fn diacritics_tatweel_and_invisible_characters_are_ignored() {
        assert!(matches("مُحَمَّد", "محمد"));
        assert!(matches("محمد", "مُحَمَّد بن سعود"));
        assert!(matches("محـــمد", "محمد"));
        assert!(matches("\u{200F}سارة\u{200E}", "ساره"));
        assert!(matches("رحمن", "رحمٰن"));
        assert_eq!(search_key("مُحَمَّدٌ"), "محمد");
    }

    #[test]
    fn national_ids_and_phones_match_in_any_digit_script() {
        assert!(matches("١٠٠٠٠٠٠٠٠٨", "1000000008"));
        assert!(matches("۱۰۰۰۰۰۰۰۰۸", "1000000008"));
        assert!(matches("1000000008", "١٠٠٠٠٠٠٠٠٨"));
        assert!(matches("٠٥٠١٢٣", "0501234567"));
        assert!(!matches("١٠٠٠٠٠٠٠٠٩", "1000000008"));
    }

    #[test]
    fn latin_is_case_insensitive_and_spaces_collapse() {
        assert_eq!(search_key("  Sara   AL-Ghamdi\u{00A0}\t"), "sara al-ghamdi");
        assert!(matches("SARA", "sara@example.sa"));
        assert!(matches("awn-2026", "AWN-2026-000042"));
    }

    #[test]
    fn every_query_word_must_appear_in_any_order() {
        let name = "أسامة محمد الغامدي";
        assert!(matches("الغامدي اسامه", name));
        assert!(matches("غامد", name));
        assert!(matches("عبد الله", "عبدالله الشهري"));
        assert!(!matches("اسامه الزهراني", name));
        assert!(!matches("سالم", name));
    }

    #[test]
    fn an_empty_query_matches_everything_but_an_empty_haystack_matches_only_it() {
        assert!(matches("", "أي شيء"));
        assert!(matches(" \u{200F} ", "أي شيء"));
        assert!(matches("", ""));
        assert!(!matches("محمد", ""));
    }

    #[test]
    fn persian_keyboard_letters_fold_to_arabic() {
        assert!(matches("علی", "علي"));
        assert!(matches("کريم", "كريم"));
    }

    #[test]
    fn letters_that_are_different_stay_different() {
        assert!(!matches("سامي", "سالم"));
        assert_ne!(search_key("هدى"), search_key("هدية"));
        // Waw and ya with hamza are distinct letters here, not folded.
        assert_ne!(search_key("مؤمن"), search_key("مومن"));
    }
}
