//! The published privacy policy (requirement B5): versioned, every version kept.

use serde::{Deserialize, Serialize};

/// One published version of the privacy policy, as shown to visitors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedPolicy {
    /// A short label such as "1.0"; unique.
    pub version: String,
    /// When it took effect, seconds since the Unix epoch.
    pub published_at: i64,
    /// The text in the reader's language, as trusted HTML rendered on the server.
    pub body_html: String,
}

/// Why a version label is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyVersionError {
    #[error("the version label is empty")]
    Empty,
    #[error("the version label must be numbers separated by dots, such as 1.0 or 2.1")]
    Malformed,
}

/// Checks a version label ("1.0", "2.1.3") and returns it trimmed, digits in ASCII.
pub fn parse_version_label(input: &str) -> Result<String, PolicyVersionError> {
    let label = crate::digits::normalize_digits(input.trim());
    if label.is_empty() {
        return Err(PolicyVersionError::Empty);
    }
    let well_formed =
        label.split('.').all(|part| !part.is_empty() && part.len() <= 4 && part.chars().all(|c| c.is_ascii_digit()));
    if well_formed { Ok(label) } else { Err(PolicyVersionError::Malformed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_labels() {
        assert_eq!(parse_version_label(" 1.0 "), Ok("1.0".into()));
        assert_eq!(parse_version_label("٢٫١"), Ok("2.1".into()));
        assert_eq!(parse_version_label("٢.١"), Ok("2.1".into()));
        assert_eq!(parse_version_label(""), Err(PolicyVersionError::Empty));
        assert_eq!(parse_version_label("1..2"), Err(PolicyVersionError::Malformed));
        assert_eq!(parse_version_label("v1"), Err(PolicyVersionError::Malformed));
    }
}
