//! Digits as Saudi users type and read them.
//!
//! Phones here offer Arabic-Indic digits (٠١٢٣…) by default, some keyboards send
//! Persian ones (۰۱۲۳…), and many people type Western digits. Every numeric input
//! accepts all three; what is shown follows the user's [`DigitStyle`].

use serde::{Deserialize, Serialize};

/// How numbers are displayed to a user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DigitStyle {
    /// 0123456789: the default, as on Saudi government services.
    #[default]
    Western,
    /// ٠١٢٣٤٥٦٧٨٩
    ArabicIndic,
}

impl DigitStyle {
    /// The value kept in the preference cookie (Unicode numbering-system ids).
    pub fn as_code(self) -> &'static str {
        match self {
            DigitStyle::Western => "latn",
            DigitStyle::ArabicIndic => "arab",
        }
    }

    /// Reads a stored preference; anything unknown falls back to the default.
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "arab" => DigitStyle::ArabicIndic,
            _ => DigitStyle::Western,
        }
    }
}

/// Maps one digit of any supported script to its ASCII digit.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        // ARABIC-INDIC DIGIT ZERO..NINE
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        // EXTENDED ARABIC-INDIC (Persian/Urdu) DIGIT ZERO..NINE
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    }
}

/// Replaces Arabic-Indic and Persian digits with ASCII digits, leaving all other
/// characters alone. The Arabic decimal separator (٫) becomes a dot and the Arabic
/// thousands separator (٬) is dropped, so "١٬٥٠٠٫٧٥" reads as "1500.75".
pub fn normalize_digits(input: &str) -> String {
    input
        .chars()
        .filter(|&c| c != '\u{066C}')
        .map(|c| match c {
            '\u{066B}' => '.',
            other => ascii_digit(other).unwrap_or(other),
        })
        .collect()
}

/// Error for a numeric field that does not hold a whole number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberInputError {
    #[error("the field is empty")]
    Empty,
    #[error("the field must hold digits only")]
    NotANumber,
    #[error("the number is too large")]
    TooLarge,
}

/// Parses a whole non-negative number typed in any digit script, with spaces
/// and thousands separators (`,` and `٬`) allowed.
pub fn parse_whole_number(input: &str) -> Result<u64, NumberInputError> {
    let cleaned: String = normalize_digits(input).chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    if cleaned.is_empty() {
        return Err(NumberInputError::Empty);
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return Err(NumberInputError::NotANumber);
    }
    cleaned.parse().map_err(|_| NumberInputError::TooLarge)
}

/// Renders the ASCII digits of `text` in the given style; other characters pass through.
pub fn localize_digits(text: &str, style: DigitStyle) -> String {
    match style {
        DigitStyle::Western => text.to_owned(),
        DigitStyle::ArabicIndic => text
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
                _ => c,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_indic_and_persian_digits_become_ascii() {
        assert_eq!(normalize_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(normalize_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(normalize_digits("05٠۱2"), "05012");
    }

    #[test]
    fn non_digits_are_left_alone() {
        assert_eq!(normalize_digits("طلب رقم ٧ - A"), "طلب رقم 7 - A");
    }

    #[test]
    fn arabic_separators_are_understood() {
        assert_eq!(normalize_digits("١٬٥٠٠٫٧٥"), "1500.75");
    }

    #[test]
    fn whole_numbers_parse_from_any_script() {
        assert_eq!(parse_whole_number("٣٥٠٠"), Ok(3500));
        assert_eq!(parse_whole_number(" 3,500 "), Ok(3500));
        assert_eq!(parse_whole_number("۱۲"), Ok(12));
        assert_eq!(parse_whole_number(""), Err(NumberInputError::Empty));
        assert_eq!(parse_whole_number("12a"), Err(NumberInputError::NotANumber));
        assert_eq!(parse_whole_number("-5"), Err(NumberInputError::NotANumber));
        assert_eq!(parse_whole_number("99999999999999999999999"), Err(NumberInputError::TooLarge));
    }

    #[test]
    fn digits_render_in_the_chosen_style() {
        assert_eq!(localize_digits("2026-11-24", DigitStyle::Western), "2026-11-24");
        assert_eq!(localize_digits("2026-11-24", DigitStyle::ArabicIndic), "٢٠٢٦-١١-٢٤");
        // Round trip: what we show can be typed back.
        assert_eq!(normalize_digits(&localize_digits("1447", DigitStyle::ArabicIndic)), "1447");
    }

    #[test]
    fn digit_style_codes_round_trip_and_default_safely() {
        for style in [DigitStyle::Western, DigitStyle::ArabicIndic] {
            assert_eq!(DigitStyle::from_code(style.as_code()), style);
        }
        assert_eq!(DigitStyle::from_code("klingon"), DigitStyle::Western);
    }
}
