//! What a form must show after a plain (no-JavaScript) post: the post is answered
//! by a redirect, so the typed values and the problems travel in a short-lived
//! cookie that the next page reads once. With JavaScript the same data comes back
//! as the server function's result and no cookie is set.

use serde::{Deserialize, Serialize};

pub const FLASH_COOKIE: &str = "awn_flash";

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

    /// The cookie value: URL-safe so it needs no quoting.
    pub fn encode(&self) -> String {
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
}
