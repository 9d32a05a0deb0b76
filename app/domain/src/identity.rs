//! Who a beneficiary is, as typed on a phone: names, the national ID or iqama
//! number, the Saudi mobile number and an optional email. Everything typed is
//! normalised first (digits in any script, invisible characters, tatweel), so the
//! same person typed two ways is stored one way.

use serde::{Deserialize, Serialize};

use crate::digits::normalize_digits;

/// Characters that change nothing a reader sees but break comparison: tatweel,
/// zero-width and bidi controls, byte-order mark, soft hyphen, Arabic letter mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0640}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{061C}')
}

/// Trims, removes invisible characters and tatweel, and collapses every run of
/// whitespace (including no-break spaces) into one space.
pub fn clean_text(input: &str) -> String {
    let visible: String = input.chars().filter(|&c| !is_invisible(c)).collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a full name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name must be written in Arabic letters")]
    NotArabic,
    #[error("the full name needs at least three parts")]
    TooFewParts,
    #[error("the name is too long")]
    TooLong,
}

pub const MAX_NAME_CHARS: usize = 120;

fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0621}'..='\u{063A}'
        | '\u{0641}'..='\u{064A}'
        | '\u{0671}'..='\u{06D3}')
}

fn is_arabic_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}')
}

/// A full name in Arabic as on the national ID: the person's, the father's and
/// the family's name at least (three parts).
pub fn parse_arabic_full_name(input: &str) -> Result<String, NameError> {
    let name = clean_text(input);
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if !name.chars().all(|c| c == ' ' || is_arabic_letter(c) || is_arabic_diacritic(c)) {
        return Err(NameError::NotArabic);
    }
    let parts = name.split(' ').filter(|part| part.chars().any(is_arabic_letter)).count();
    if parts < 3 {
        return Err(NameError::TooFewParts);
    }
    Ok(name)
}

/// A name reduced for comparison: no diacritics, one form of alef, ya and ha,
/// so a typed signature matches the name however the hamza was written.
pub fn comparable_name(input: &str) -> String {
    clean_text(input)
        .chars()
        .filter(|&c| !is_arabic_diacritic(c) && c != '\u{0670}')
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            other => other,
        })
        .collect()
}

/// Whether the national ID belongs to a citizen (starts with 1) or a resident
/// (an iqama number, starts with 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NationalIdKind {
    Citizen,
    Resident,
}

/// A Saudi national ID or iqama number: ten digits, the first 1 or 2, the last a
/// Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NationalId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NationalIdError {
    #[error("the number is empty")]
    Empty,
    #[error("the number must hold digits only")]
    NotDigits,
    #[error("the number must have ten digits")]
    WrongLength,
    #[error("the number must start with 1 or 2")]
    WrongFirstDigit,
    #[error("the number's check digit does not match")]
    CheckDigit,
}

/// The Luhn checksum over all the digits (the last one is the check digit).
fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(index, &digit)| {
            // Ten digits: counting from the left, even positions (0-based) are doubled.
            if index % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl NationalId {
    pub const LENGTH: usize = 10;

    pub fn parse(input: &str) -> Result<Self, NationalIdError> {
        let cleaned: String =
            normalize_digits(&clean_text(input)).chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if cleaned.is_empty() {
            return Err(NationalIdError::Empty);
        }
        if !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(NationalIdError::NotDigits);
        }
        if cleaned.len() != Self::LENGTH {
            return Err(NationalIdError::WrongLength);
        }
        if !cleaned.starts_with('1') && !cleaned.starts_with('2') {
            return Err(NationalIdError::WrongFirstDigit);
        }
        let digits: Vec<u32> = cleaned.chars().filter_map(|c| c.to_digit(10)).collect();
        if !luhn_valid(&digits) {
            return Err(NationalIdError::CheckDigit);
        }
        Ok(NationalId(cleaned))
    }

    /// The valid number that starts with these nine digits (its check digit
    /// added): for generated data (`awn seed-demo --scale`, the benchmark).
    pub fn completing(first_nine: &str) -> Option<Self> {
        (0..10).find_map(|check| NationalId::parse(&format!("{first_nine}{check}")).ok())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> NationalIdKind {
        if self.0.starts_with('1') { NationalIdKind::Citizen } else { NationalIdKind::Resident }
    }

    /// The number as shown where the whole of it is not needed.
    pub fn masked(&self) -> String {
        format!("******{}", &self.0[self.0.len() - 4..])
    }
}

/// A Saudi mobile number, kept in E.164 form (+9665XXXXXXXX).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SaudiMobile(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("the number is empty")]
    Empty,
    #[error("not a Saudi mobile number")]
    Invalid,
}

impl SaudiMobile {
    /// Accepts 05XXXXXXXX, 5XXXXXXXX, +9665XXXXXXXX, 009665XXXXXXXX and
    /// 9665XXXXXXXX, typed in any digit script, with spaces, dashes, dots or
    /// brackets anywhere.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let cleaned: String = normalize_digits(&clean_text(input))
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')' | '.'))
            .collect();
        if cleaned.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (plus, digits) = match cleaned.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PhoneError::Invalid);
        }
        let subscriber = if plus {
            digits.strip_prefix("966")
        } else if let Some(rest) = digits.strip_prefix("00966") {
            Some(rest)
        } else if digits.len() == 12 {
            digits.strip_prefix("966")
        } else if digits.len() == 10 {
            digits.strip_prefix('0')
        } else {
            Some(digits)
        };
        match subscriber {
            Some(number) if number.len() == 9 && number.starts_with('5') => Ok(SaudiMobile(format!("+966{number}"))),
            _ => Err(PhoneError::Invalid),
        }
    }

    /// A number read back from storage, which holds E.164 only.
    pub fn from_e164(stored: &str) -> Option<Self> {
        let number = stored.strip_prefix("+966")?;
        (number.len() == 9 && number.starts_with('5') && number.chars().all(|c| c.is_ascii_digit()))
            .then(|| SaudiMobile(stored.to_string()))
    }

    pub fn as_e164(&self) -> &str {
        &self.0
    }

    /// The number as Saudis write it: 05XXXXXXXX.
    pub fn local(&self) -> String {
        format!("0{}", &self.0[4..])
    }

    /// The number with all but its last three digits hidden, to say where a code
    /// went without showing the number to whoever holds the screen.
    pub fn masked(&self) -> String {
        let local = self.local();
        format!("05*****{}", &local[local.len() - 3..])
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("not an email address")]
    Invalid,
    #[error("the email address is too long")]
    TooLong,
}

pub const MAX_EMAIL_CHARS: usize = 254;

/// An optional email address: blank means none. The check is deliberately light
/// (one @, a dot in the domain, no spaces): the outbox finds out the rest.
pub fn parse_optional_email(input: &str) -> Result<Option<String>, EmailError> {
    let email = clean_text(input);
    if email.is_empty() {
        return Ok(None);
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(EmailError::TooLong);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(EmailError::Invalid);
    };
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || email.contains(' ') || !domain_ok {
        return Err(EmailError::Invalid);
    }
    Ok(Some(email.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nine digits and the Luhn check digit, whatever the first digit (a
    /// refusal for it is tested too).
    fn with_check_digit(first_nine: &str) -> String {
        (0..10)
            .map(|check| format!("{first_nine}{check}"))
            .find(|candidate| {
                let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
                luhn_valid(&digits)
            })
            .expect("one check digit always fits")
    }

    #[test]
    fn nine_digits_are_completed_with_their_check_digit_only_when_they_can_start_an_id() {
        let id = NationalId::completing("100000000").expect("an ID");
        assert_eq!(id.as_str(), "1000000008");
        assert_eq!(NationalId::parse(id.as_str()), Ok(id));
        assert_eq!(NationalId::completing("300000000"), None, "an ID starts with 1 or 2");
        assert_eq!(NationalId::completing("1234"), None, "ten digits in all");
    }

    #[test]
    fn clean_text_removes_tatweel_invisible_characters_and_extra_spaces() {
        assert_eq!(clean_text("  محـــمد\u{200F}  بن\u{00A0}\u{00A0}علي\u{FEFF} "), "محمد بن علي");
        assert_eq!(clean_text("\u{202B}سالم\u{202C}"), "سالم");
        assert_eq!(clean_text("   "), "");
    }

    #[test]
    fn full_name_needs_three_arabic_parts() {
        assert_eq!(parse_arabic_full_name(" محمد  عبدالله   الغامدي "), Ok("محمد عبدالله الغامدي".into()));
        assert_eq!(parse_arabic_full_name("مُحَمَّد عبدالله الغامدي").map(|_| ()), Ok(()));
        assert_eq!(parse_arabic_full_name(""), Err(NameError::Empty));
        assert_eq!(parse_arabic_full_name("محمد الغامدي"), Err(NameError::TooFewParts));
        assert_eq!(parse_arabic_full_name("Mohammed Ali Alghamdi"), Err(NameError::NotArabic));
        assert_eq!(parse_arabic_full_name("محمد 2 الغامدي"), Err(NameError::NotArabic));
        let long = "محمد ".repeat(30);
        assert_eq!(parse_arabic_full_name(&long), Err(NameError::TooLong));
    }

    #[test]
    fn comparable_name_ignores_hamza_forms_diacritics_and_ta_marbuta() {
        assert_eq!(comparable_name("أسامة إبراهيم آل مُوسى"), comparable_name("اسامه ابراهيم ال موسي"));
        assert_ne!(comparable_name("سامي"), comparable_name("سالم"));
    }

    #[test]
    fn national_id_check_digit_is_validated() {
        let citizen = with_check_digit("108765432");
        let id = NationalId::parse(&citizen).expect("valid");
        assert_eq!(id.kind(), NationalIdKind::Citizen);
        assert_eq!(id.masked(), format!("******{}", &citizen[6..]));

        let resident = with_check_digit("234567890");
        assert_eq!(NationalId::parse(&resident).map(|id| id.kind()), Ok(NationalIdKind::Resident));

        // Any other last digit breaks the checksum.
        let last = citizen.chars().last().and_then(|c| c.to_digit(10)).expect("digit");
        let wrong = format!("{}{}", &citizen[..9], (last + 1) % 10);
        assert_eq!(NationalId::parse(&wrong), Err(NationalIdError::CheckDigit));
    }

    #[test]
    fn national_id_accepts_arabic_and_persian_digits_spaces_and_dashes() {
        let ascii = with_check_digit("112233445");
        let arabic: String =
            ascii.chars().map(|c| char::from_u32(0x0660 + c.to_digit(10).expect("digit")).expect("char")).collect();
        let persian: String =
            ascii.chars().map(|c| char::from_u32(0x06F0 + c.to_digit(10).expect("digit")).expect("char")).collect();
        let spaced = format!("{}-{} {}", &ascii[..3], &ascii[3..6], &ascii[6..]);
        for typed in [arabic, persian, spaced] {
            assert_eq!(NationalId::parse(&typed).map(|id| id.as_str().to_string()), Ok(ascii.clone()));
        }
    }

    #[test]
    fn national_id_refusals_say_why() {
        assert_eq!(NationalId::parse(" "), Err(NationalIdError::Empty));
        assert_eq!(NationalId::parse("10a4567890"), Err(NationalIdError::NotDigits));
        assert_eq!(NationalId::parse("123456789"), Err(NationalIdError::WrongLength));
        assert_eq!(NationalId::parse("12345678901"), Err(NationalIdError::WrongLength));
        let starts_with_three = with_check_digit("308765432");
        assert_eq!(NationalId::parse(&starts_with_three), Err(NationalIdError::WrongFirstDigit));
    }

    #[test]
    fn saudi_mobile_accepts_every_common_form() {
        let expected = "+966501234567";
        for typed in [
            "0501234567",
            "501234567",
            "+966501234567",
            "00966501234567",
            "966501234567",
            "050 123 4567",
            "050-123-4567",
            "(050) 123.4567",
            "+966 50 123 4567",
            "٠٥٠١٢٣٤٥٦٧",
            "۰۵۰۱۲۳۴۵۶۷",
            "\u{200F}0501234567 ",
        ] {
            let mobile = SaudiMobile::parse(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(mobile.as_e164(), expected, "{typed}");
        }
    }

    #[test]
    fn saudi_mobile_refuses_landlines_foreign_and_short_numbers() {
        assert_eq!(SaudiMobile::parse(""), Err(PhoneError::Empty));
        for typed in ["0112345678", "050123456", "05012345678", "+971501234567", "+96650123456", "abc", "5012345678"] {
            assert_eq!(SaudiMobile::parse(typed), Err(PhoneError::Invalid), "{typed}");
        }
    }

    #[test]
    fn saudi_mobile_shows_local_and_masked_forms() {
        let mobile = SaudiMobile::parse("0501234567").expect("valid");
        assert_eq!(mobile.local(), "0501234567");
        assert_eq!(mobile.masked(), "05*****567");
        assert_eq!(SaudiMobile::from_e164("+966501234567"), Some(mobile));
        assert_eq!(SaudiMobile::from_e164("0501234567"), None);
    }

    #[test]
    fn email_is_optional_and_lightly_checked() {
        assert_eq!(parse_optional_email("  "), Ok(None));
        assert_eq!(parse_optional_email(" Sara@Example.SA "), Ok(Some("sara@example.sa".into())));
        for typed in
            ["sara", "sara@", "@example.sa", "sara@example", "sa ra@example.sa", "a@b@c.sa", "sara@example..sa"]
        {
            assert_eq!(parse_optional_email(typed), Err(EmailError::Invalid), "{typed}");
        }
        let long = format!("{}@example.sa", "a".repeat(250));
        assert_eq!(parse_optional_email(&long), Err(EmailError::TooLong));
    }
}
