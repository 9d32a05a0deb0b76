//! Where a visitor may be sent back to after a form or a preference link: only a
//! path of this site. Every `return_to` / `next` taken from a request goes
//! through [`safe_return_path`] before it becomes a `Location` header, so a
//! crafted value can neither send the visitor to another host (open redirect)
//! nor break the header (a control character once crashed the connection).

/// Longer than any path of the site with its query.
const MAX_RETURN_PATH_BYTES: usize = 2048;

/// How many layers of percent-encoding are looked through: enough for
/// `%255C` (`%5C` once decoded, `\` twice) and the like.
const DECODING_ROUNDS: usize = 3;

/// `candidate` if it is a path of this site that is safe to put in a
/// `Location` header, else `None`.
///
/// Accepted: `/` alone, or `/` followed by anything but `/` or `\`; visible
/// ASCII only (no spaces, no control characters, no raw non-ASCII, which
/// browsers percent-encode themselves); at most 2 KB. Percent-escapes are
/// decoded and the result checked again, so `/%5Cevil`, `/%2F%2Fevil` and
/// `/%0a` are refused like `/\evil`, `//evil` and a raw line feed.
pub fn safe_return_path(candidate: &str) -> Option<&str> {
    if candidate.len() > MAX_RETURN_PATH_BYTES || !candidate.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let mut layer = candidate.to_owned();
    for _ in 0..=DECODING_ROUNDS {
        if !is_local_path(&layer) {
            return None;
        }
        let decoded = percent_decoded(&layer);
        if decoded == layer {
            return Some(candidate);
        }
        layer = decoded;
    }
    // Still changing after several rounds: nothing our own links produce.
    None
}

/// [`safe_return_path`], or the home page.
pub fn return_path_or_home(candidate: Option<&str>) -> &str {
    candidate.and_then(safe_return_path).unwrap_or("/")
}

/// One layer of the check: a rooted path, not a scheme-relative URL, no
/// backslash (browsers read it as `/`), no control character.
fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    if chars.next() != Some('/') {
        return false;
    }
    if matches!(chars.next(), Some('/' | '\\')) {
        return false;
    }
    !path.chars().any(|c| c == '\\' || c.is_control())
}

/// `%XX` escapes decoded (bytes that are not UTF-8 become U+FFFD, which is
/// harmless: the original, still encoded, is what is kept).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex))
        {
            out.push(high * 16 + low);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: &u8) -> Option<u8> {
    (*byte as char).to_digit(16).map(|d| d as u8)
}

/// Whether a path, percent-escapes decoded, holds a control character: no
/// token, id or page of the site does, so such a request is answered 404.
pub fn has_control_characters(path: &str) -> bool {
    path.chars().any(char::is_control) || percent_decoded(path).chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_kept() {
        for path in ["/", "/faq", "/privacy?x=1", "/requests/42?submitted=1", "/survey/Qx7_-abc", "/a%20b", "/a/%D8%B9"]
        {
            assert_eq!(safe_return_path(path), Some(path), "{path}");
        }
    }

    #[test]
    fn other_hosts_and_schemes_are_refused() {
        for path in [
            "",
            "faq",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            " /faq",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%2F%2Fevil.example",
            "/%2Fevil.example",
            "/%255Cevil.example",
            "/%25255Cevil.example",
            "/a/%5C..",
        ] {
            assert_eq!(safe_return_path(path), None, "{path}");
        }
    }

    #[test]
    fn values_that_break_a_header_are_refused() {
        for path in [
            "/%0a",
            "/%0D%0ASet-Cookie:%20x=1",
            "/a\r\nSet-Cookie: x",
            "/a\nb",
            "/a\u{0}b",
            "/%00",
            "/a b",
            "/ع",
            "/%7F",
            "/%C2%85",
        ] {
            assert_eq!(safe_return_path(path), None, "{path:?}");
        }
        assert_eq!(safe_return_path(&format!("/{}", "a".repeat(3000))), None);
    }

    #[test]
    fn anything_refused_goes_home() {
        assert_eq!(return_path_or_home(Some("/faq")), "/faq");
        assert_eq!(return_path_or_home(Some("//evil.example")), "/");
        assert_eq!(return_path_or_home(Some("/%0a")), "/");
        assert_eq!(return_path_or_home(None), "/");
    }

    #[test]
    fn control_characters_in_paths_are_found_encoded_or_not() {
        assert!(has_control_characters("/survey-answers/abc%00def"));
        assert!(has_control_characters("/survey-answers/abc%0Adef"));
        assert!(has_control_characters("/a\u{7f}"));
        assert!(!has_control_characters("/survey-answers/Qx7_-abc"));
        assert!(!has_control_characters("/a%20b/%D8%B9"));
    }
}
