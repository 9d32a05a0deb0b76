//! The one HTML escape: for text the server writes into markup by hand (raw-text
//! elements Leptos does not escape, and the small pages written without Leptos).

/// `text` safe inside an element and inside a quoted attribute: `&`, `<`, `>`,
/// `"` and `'` become entities.
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_quotes_become_entities_and_arabic_stays() {
        let escaped = escape(r#"</textarea><b a="1" b='2'>&"#);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        assert!(escaped.starts_with("&lt;/textarea&gt;"), "{escaped}");
        assert!(escaped.ends_with("&amp;"), "{escaped}");
        assert_eq!(escape("طلب دعم"), "طلب دعم");
    }
}
