//! Random tokens and codes, and the hashes stored in their place. The database
//! never holds a usable secret: a session cookie, a sign-in challenge or a code
//! read from a leaked table opens nothing.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A random 256-bit token, URL-safe (session cookies, sign-in challenges, file keys).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The hash kept for a token. Tokens carry 256 random bits, so a plain SHA-256 is
/// enough: there is nothing to guess.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A uniformly random one-time code of `length` digits.
pub fn new_numeric_code(length: usize) -> String {
    let mut rng = rand::rng();
    (0..length).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// The salted hash kept for a one-time code. A 6-digit code has only a million
/// values, so the salt stops one precomputed table from serving every row; the
/// short lifetime and the attempt limit do the rest.
pub fn hash_code(salt: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(b":");
    hasher.update(code.as_bytes());
    hex(&hasher.finalize())
}

/// Compares two hashes in time independent of where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_ne!(hash_token(&a), hash_token(&b));
        assert_eq!(hash_token(&a), hash_token(&a));
    }

    #[test]
    fn codes_have_the_asked_length_and_only_digits() {
        for _ in 0..100 {
            let code = new_numeric_code(6);
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn code_hashes_depend_on_the_salt() {
        assert_ne!(hash_code("a", "123456"), hash_code("b", "123456"));
        assert!(same_hash(&hash_code("a", "123456"), &hash_code("a", "123456")));
        assert!(!same_hash(&hash_code("a", "123456"), &hash_code("a", "123457")));
    }
}
