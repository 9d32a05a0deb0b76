//! The visitor's display preferences: language and digits. Both live in cookies so
//! the server renders the page already in the right form, and both can be changed
//! with links to `/preferences/…` that set the cookie and come back.

use awn_domain::{digits::DigitStyle, locale::Language};
use leptos::prelude::*;

use crate::i18n::Locale;

/// Cookie holding the chosen language ("ar" or "en").
pub const LANGUAGE_COOKIE: &str = "awn_lang";
/// Cookie holding the digit style ("latn" or "arab").
pub const DIGITS_COOKIE: &str = "awn_digits";
/// A year: preferences are remembered, not tracked (strictly necessary cookies).
pub const PREFERENCE_COOKIE_MAX_AGE: u32 = 365 * 24 * 3600;

pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::ar => Language::Arabic,
        Locale::en => Language::English,
    }
}

pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::Arabic => Locale::ar,
        Language::English => Locale::en,
    }
}

/// Reads a cookie of the current request (server) or of the document (browser).
pub fn read_cookie(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return use_context::<http::request::Parts>().and_then(|parts| request_cookie(&parts.headers, name));
    #[cfg(not(feature = "ssr"))]
    let header = {
        use wasm_bindgen::JsCast;
        document().dyn_into::<web_sys::HtmlDocument>().ok().and_then(|doc| doc.cookie().ok())
    };
    #[cfg(not(feature = "ssr"))]
    header.and_then(|header| cookie_value(&header, name).map(str::to_owned))
}

/// The language of the current request: the visitor's choice, else the default.
#[cfg(feature = "ssr")]
pub fn request_language(context: &crate::state::AppContext) -> Language {
    read_cookie(LANGUAGE_COOKIE).as_deref().and_then(Language::from_tag).unwrap_or(context.settings.default_language)
}

/// Finds a cookie in a request's `Cookie` headers (there may be several).
#[cfg(feature = "ssr")]
pub fn request_cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| cookie_value(header, name))
        .map(str::to_owned)
}

/// Finds `name` in a `Cookie` header value.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// The digit style in force, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct DigitPreference(pub RwSignal<DigitStyle>);

/// Reads the digit-style cookie and makes the preference available to the page.
pub fn provide_digit_preference() -> DigitPreference {
    let style = read_cookie(DIGITS_COOKIE).map(|c| DigitStyle::from_code(&c)).unwrap_or_default();
    let preference = DigitPreference(RwSignal::new(style));
    provide_context(preference);
    preference
}

/// The visitor's digit style. Read it with `try_get().unwrap_or_default()`: a
/// server render abandoned half-way (the browser went away) disposes the signal
/// while text closures may still run, and `get` would panic there.
pub fn use_digit_style() -> Signal<DigitStyle> {
    let preference =
        use_context::<DigitPreference>().unwrap_or_else(|| DigitPreference(RwSignal::new(DigitStyle::default())));
    preference.0.into()
}

/// The message for a preference link with a value that does not exist.
#[cfg(feature = "ssr")]
pub fn choice_unavailable_message(language: Language) -> String {
    use crate::i18n::td_string;
    td_string!(locale_of(language), errors.choice_unavailable).to_string()
}

/// A link back to `path` after a preference is set without JavaScript.
pub fn preference_link(kind: &str, value: &str, return_to: &str) -> String {
    let next: String = form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    format!("/preferences/{kind}/{value}?next={next}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_values_are_found_by_exact_name() {
        let header = "awn_lang_x=1; awn_lang=en; awn_digits=arab";
        assert_eq!(cookie_value(header, "awn_lang"), Some("en"));
        assert_eq!(cookie_value(header, "awn_digits"), Some("arab"));
        assert_eq!(cookie_value(header, "missing"), None);
    }

    #[test]
    fn preference_links_encode_the_return_path() {
        assert_eq!(
            preference_link("digits", "arab", "/privacy?v=1&x=٢"),
            "/preferences/digits/arab?next=%2Fprivacy%3Fv%3D1%26x%3D%D9%A2"
        );
    }
}
