//! The languages Awn speaks.

use serde::{Deserialize, Serialize};

/// A supported UI language. Arabic is the association's language and the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Arabic,
    English,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Arabic, Language::English];

    /// BCP 47 tag, as used in `<html lang>` and the preference cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Arabic => "ar",
            Language::English => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Language::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    pub fn is_rtl(self) -> bool {
        matches!(self, Language::Arabic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_with_regions_and_case() {
        assert_eq!(Language::from_tag("ar"), Some(Language::Arabic));
        assert_eq!(Language::from_tag("ar-SA"), Some(Language::Arabic));
        assert_eq!(Language::from_tag("EN_us"), Some(Language::English));
        assert_eq!(Language::from_tag("fr"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn arabic_is_the_rtl_default() {
        assert_eq!(Language::default(), Language::Arabic);
        assert!(Language::Arabic.is_rtl());
        assert!(!Language::English.is_rtl());
    }
}
