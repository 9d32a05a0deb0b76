//! Column values encrypted and bound to their column, and the keyed hashes
//! that still find them by exact match.

use aes_gcm::{
    Nonce,
    aead::{Aead, Payload},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::{Keyring, NONCE_LEN, invalid, keyring::hex};
use crate::StorageResult;

pub(super) const TEXT_PREFIX: &str = "enc1:";

impl Keyring {
    /// Encrypts `plain` for `column` with the current key.
    pub fn encrypt_text(&self, column: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let key = &self.keys[&self.current];
        let sealed = key
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: column.as_bytes() })
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{TEXT_PREFIX}{}:{}", self.current, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The plain text of a stored value of `column`; text that was never
    /// encrypted comes back as it is.
    pub fn decrypt_text(&self, column: &str, stored: &str) -> StorageResult<String> {
        let Some(rest) = stored.strip_prefix(TEXT_PREFIX) else { return Ok(stored.to_owned()) };
        let (id, encoded) = rest.split_once(':').ok_or_else(|| invalid(format!("a malformed encrypted {column}")))?;
        let id: u32 = id.parse().map_err(|_| invalid(format!("a malformed encrypted {column}")))?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| invalid(format!("a malformed encrypted {column}")))?;
        if bytes.len() < NONCE_LEN {
            return Err(invalid(format!("a malformed encrypted {column}")));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .key(id)?
            .cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: column.as_bytes() })
            .map_err(|_| invalid(format!("an encrypted {column} that does not decrypt with key {id}")))?;
        String::from_utf8(plain).map_err(|_| invalid(format!("an encrypted {column} that is not text")))
    }

    pub fn decrypt_optional(&self, column: &str, stored: Option<String>) -> StorageResult<Option<String>> {
        stored.map(|s| self.decrypt_text(column, &s)).transpose()
    }

    /// Whether a stored value is encrypted with the current key already.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(TEXT_PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.current.to_string())
    }

    /// The keyed hash that finds `plain` in `column` by exact match.
    pub fn lookup_hash(&self, column: &str, plain: &str) -> String {
        let key = &self.keys[&self.current];
        #[expect(clippy::expect_used, reason = "HMAC accepts a key of any length")]
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key.index_key).expect("HMAC takes any key length");
        mac.update(column.as_bytes());
        mac.update(b"\0");
        mac.update(plain.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

/// The encrypted columns of `support_requests`, by the name bound into each value.
pub const NATIONAL_ID: &str = "support_requests.national_id";
pub const BIRTH_DATE: &str = "support_requests.birth_date";
pub const EMAIL: &str = "support_requests.email";
/// A household member's national ID or iqama and birth date (issue 15).
pub const MEMBER_NATIONAL_ID: &str = "household_members.national_id";
pub const MEMBER_BIRTH_DATE: &str = "household_members.birth_date";
pub const DRAFT: &str = "request_drafts.data";
pub const REQUEST_MOBILE: &str = "support_requests.mobile";
pub const ACCOUNT_MOBILE: &str = "beneficiary_accounts.mobile";
pub const CODE_MOBILE: &str = "sign_in_codes.mobile";
pub const INQUIRY_MOBILE: &str = "inquiries.contact_mobile";
pub const INQUIRY_EMAIL: &str = "inquiries.contact_email";
pub const RECIPIENT: &str = "outbox_messages.recipient";
/// A queued message's text: it may carry a sign-in code or a survey link's token.
pub const OUTBOX_BODY: &str = "outbox_messages.body";
pub const REPORTER_CONTACT: &str = "privacy_reports.reporter_contact";
/// A staff member's TOTP secret: a copy of the database must not sign anyone in.
pub const TOTP_SECRET: &str = "staff_accounts.totp_secret";
/// Where a member of staff wants reminders beyond the workspace.
pub const STAFF_MOBILE: &str = "staff_accounts.contact_mobile";
pub const STAFF_EMAIL: &str = "staff_accounts.contact_email";
/// A supporter's contacts, and a cooperative member's ID and mobile (issue 15).
pub const SUPPORTER_MOBILE: &str = "supporters.mobile";
pub const SUPPORTER_EMAIL: &str = "supporters.email";
pub const MEMBERSHIP_NATIONAL_ID: &str = "members.national_id";
pub const MEMBERSHIP_MOBILE: &str = "members.mobile";
/// A volunteer applicant's mobile number.
pub const VOLUNTEER_MOBILE: &str = "volunteers.mobile";

/// The lookup hash of a mobile number (E.164) or address: the same in every
/// table, so one number finds its account, codes, inquiries and messages.
pub fn contact_hash(keys: &Keyring, contact: &str) -> Option<String> {
    let contact = contact.trim();
    (!contact.is_empty() && !contact.starts_with("erased")).then(|| keys.lookup_hash("contact", contact))
}

/// The lookup hash of a national ID; none for an erased one.
pub fn national_id_hash(keys: &Keyring, national_id: &str) -> Option<String> {
    (!national_id.starts_with("erased:") && !national_id.is_empty()).then(|| keys.lookup_hash(NATIONAL_ID, national_id))
}
