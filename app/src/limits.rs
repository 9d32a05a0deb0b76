//! What a person sees when an abuse limit refuses them: the text of the typed
//! error a hydrated page shows, and the small page a plain (no-JavaScript) form
//! post gets instead. The limits themselves are the server's (`server::limits`).

use crate::i18n::*;

/// Whole minutes to wait, at least one: "try again in 0 minutes" helps nobody.
pub fn minutes_to_wait(retry_after_seconds: u64) -> u64 {
    retry_after_seconds.div_ceil(60).max(1)
}

/// "Too many requests from your connection; try again in N minutes."
pub fn too_many_requests_text(locale: Locale, retry_after_seconds: u64) -> String {
    td_string!(locale, limits.too_many, count = minutes_to_wait(retry_after_seconds) as i64).to_string()
}

/// The text of the page a plain form post gets with its 429 (the server puts
/// it in its one small page, `server::security::small_page`, with a link back
/// to the page the form was on).
#[cfg(feature = "ssr")]
pub fn refusal_text(language: awn_domain::locale::Language, retry_after_seconds: u64) -> crate::edge_pages::EdgeText {
    let locale = crate::preferences::locale_of(language);
    crate::edge_pages::EdgeText {
        title: td_string!(locale, limits.refused_title).to_string(),
        body: too_many_requests_text(locale, retry_after_seconds),
        link: td_string!(locale, limits.back).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_whole_minutes_and_never_zero() {
        assert_eq!(minutes_to_wait(0), 1);
        assert_eq!(minutes_to_wait(1), 1);
        assert_eq!(minutes_to_wait(60), 1);
        assert_eq!(minutes_to_wait(61), 2);
    }

    #[test]
    fn the_text_names_the_wait_in_each_language() {
        assert!(too_many_requests_text(Locale::en, 360).contains("6 minutes"));
        assert!(too_many_requests_text(Locale::ar, 120).contains("دقيقتين"));
    }
}
