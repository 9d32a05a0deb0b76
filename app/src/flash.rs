//! What a form must show after a plain (no-JavaScript) post: the post is answered
//! by a redirect, so the typed values and the problems travel in a short-lived
//! cookie that the next page reads once. With JavaScript the same data comes back
//! as the server function's result and no cookie is set.

use serde::{Deserialize, Serialize};

pub const FLASH_COOKIE: &str = "awn_flash";

/// The flash cookie's value at most: with its name and attributes the whole
/// `Set-Cookie` stays under the 4,096 bytes every browser keeps.
pub const MAX_ENCODED_BYTES: usize = 3_600;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFlash {
    /// Which form it is for ("sign_in", "code", "message", "upload", …).
    pub form: String,
    /// Values typed, by field name.
    pub values: Vec<(String, String)>,
    /// A message key the form knows how to show.
    pub problem: String,
    /// A number the message needs (seconds to wait, tries left…).
    pub number: i64,
}

impl FormFlash {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The cookie value: URL-safe so it needs no quoting, and at most
    /// [`MAX_ENCODED_BYTES`]: browsers drop a cookie over 4 KB (and a huge
    /// `Set-Cookie` is refused by proxies), so the longest typed values are cut
    /// until it fits. The problem is always kept: a field cut short still says
    /// what was wrong with it.
    pub fn encode(&self) -> String {
        let mut flash = self.clone();
        loop {
            let encoded = flash.encode_whole();
            if encoded.len() <= MAX_ENCODED_BYTES {
                return encoded;
            }
            // Typed values first (the `~` entries say which form and field).
            let longest = flash
                .values
                .iter_mut()
                .filter(|(name, value)| !name.starts_with('~') && !value.is_empty())
                .max_by_key(|(_, value)| value.len());
            match longest {
                Some((_, value)) => {
                    let keep = value.chars().count() / 2;
                    *value = value.chars().take(keep).collect();
                }
                None => break,
            }
        }
        // Even empty, the names are too long (not from our forms): which form and
        // field, and the problem, only.
        flash.values.retain(|(name, value)| name.starts_with('~') && name.len() < 16 && value.len() < 256);
        let encoded = flash.encode_whole();
        if encoded.len() <= MAX_ENCODED_BYTES {
            encoded
        } else {
            FormFlash { form: String::new(), values: Vec::new(), problem: String::new(), number: 0 }.encode_whole()
        }
    }

    fn encode_whole(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        form_urlencoded::byte_serialize(json.as_bytes()).collect()
    }

    pub fn decode(cookie: &str) -> Option<Self> {
        let json: String = form_urlencoded::parse(format!("v={cookie}").as_bytes())
            .find(|(key, _)| key == "v")
            .map(|(_, value)| value.into_owned())?;
        serde_json::from_str(&json).ok()
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::{FLASH_COOKIE, FormFlash};
    use crate::{
        preferences::read_cookie,
        session::{is_plain_form_post, set_cookie},
    };

    /// Keeps `flash` for the page the plain form post redirects to.
    pub fn keep_for_next_page(flash: &FormFlash) {
        if is_plain_form_post() {
            set_cookie(FLASH_COOKIE, &flash.encode(), 120);
        }
    }

    /// Whatever flash is waiting, for a page with forms of several kinds; it is consumed.
    pub fn take_any() -> Option<FormFlash> {
        let flash = read_cookie(FLASH_COOKIE).and_then(|cookie| FormFlash::decode(&cookie))?;
        set_cookie(FLASH_COOKIE, "", 0);
        Some(flash)
    }

    /// The flash for `form`, if one is waiting; it is consumed.
    pub fn take(form: &str) -> Option<FormFlash> {
        let flash = read_cookie(FLASH_COOKIE).and_then(|cookie| FormFlash::decode(&cookie))?;
        set_cookie(FLASH_COOKIE, "", 0);
        (flash.form == form).then_some(flash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_arabic_values_through_a_cookie_value() {
        let flash = FormFlash {
            form: "sign_in".into(),
            values: vec![("mobile".into(), "٠٥٠ ١٢٣; x=y".into())],
            problem: "phone_invalid".into(),
            number: 3,
        };
        let encoded = flash.encode();
        assert!(!encoded.contains(';') && !encoded.contains(' ') && !encoded.contains(','));
        assert_eq!(FormFlash::decode(&encoded), Some(flash));
    }

    #[test]
    fn a_huge_typed_value_is_cut_to_fit_a_cookie_and_the_problem_kept() {
        let flash = FormFlash {
            form: "~problem".into(),
            values: vec![
                ("~form".into(), "ask".into()),
                ("~field".into(), "question".into()),
                ("name".into(), "سارة".into()),
                ("question".into(), "سؤال طويل ".repeat(10_000)),
            ],
            problem: "too_long".into(),
            number: 0,
        };
        let encoded = flash.encode();
        assert!(encoded.len() <= MAX_ENCODED_BYTES, "{}", encoded.len());
        let decoded = FormFlash::decode(&encoded).expect("still a flash");
        assert_eq!(decoded.problem, "too_long");
        assert_eq!(decoded.value("~field"), Some("question"));
        assert_eq!(decoded.value("name"), Some("سارة"));
        assert!(decoded.value("question").is_some_and(|q| q.starts_with("سؤال طويل") && q.len() > 100));
    }

    #[test]
    fn huge_field_names_leave_the_problem_alone() {
        let flash = FormFlash {
            form: "~problem".into(),
            values: vec![("~form".into(), "s".into()), ("x".repeat(50_000), "y".into())],
            problem: "invalid".into(),
            number: 0,
        };
        let decoded = FormFlash::decode(&flash.encode()).expect("a flash");
        assert!(flash.encode().len() <= MAX_ENCODED_BYTES);
        assert_eq!(decoded.problem, "invalid");
        assert_eq!(decoded.value("~form"), Some("s"));
    }
}
