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
    td_string!(
        locale,
        limits.too_many,
        count = minutes_to_wait(retry_after_seconds) as i64
    )
    .to_string()
}

/// The page a plain form post gets with its 429: the message and a link back
/// to the page the form was on. `back_to` must already be a path on this site.
#[cfg(feature = "ssr")]
pub fn refusal_page(
    language: awn_domain::locale::Language,
    retry_after_seconds: u64,
    back_to: &str,
) -> String {
    let locale = crate::preferences::locale_of(language);
    let direction = if language.is_rtl() { "rtl" } else { "ltr" };
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{direction}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/awn.css\"></head>\
         <body><main class=\"card narrow\"><h1>{title}</h1>\
         <p class=\"notice notice--error\" role=\"alert\">{message}</p>\
         <p><a class=\"button\" href=\"{back}\">{back_text}</a></p></main></body></html>",
        lang = language.tag(),
        title = escape(td_string!(locale, limits.refused_title)),
        message = escape(&too_many_requests_text(locale, retry_after_seconds)),
        back = escape(back_to),
        back_text = escape(td_string!(locale, limits.back)),
    )
}

#[cfg(feature = "ssr")]
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
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
