//! Which files a beneficiary may upload, judged by their content, never by the
//! name or the type the browser claims: a renamed executable is not a PDF.

use serde::{Deserialize, Serialize};

/// Uploads accepted: photos of papers and scanned PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl DocumentType {
    pub fn mime(self) -> &'static str {
        match self {
            DocumentType::Jpeg => "image/jpeg",
            DocumentType::Png => "image/png",
            DocumentType::Webp => "image/webp",
            DocumentType::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [DocumentType::Jpeg, DocumentType::Png, DocumentType::Webp, DocumentType::Pdf]
            .into_iter()
            .find(|kind| kind.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            DocumentType::Jpeg => "jpg",
            DocumentType::Png => "png",
            DocumentType::Webp => "webp",
            DocumentType::Pdf => "pdf",
        }
    }
}

/// The type of a file from its first bytes (its "magic number").
pub fn sniff(bytes: &[u8]) -> Option<DocumentType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(DocumentType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(DocumentType::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(DocumentType::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(DocumentType::Pdf)
    } else {
        None
    }
}

/// Most documents one request may carry.
pub const MAX_DOCUMENTS_PER_REQUEST: usize = 10;

/// A file name safe to show and to offer back in a download: path parts, control
/// and bidi characters removed, at most 100 characters, never empty.
pub fn display_file_name(raw: &str, kind: DocumentType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = crate::identity::clean_text(base)
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() { format!("document.{}", kind.extension()) } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_accepted_types_by_content() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(DocumentType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(DocumentType::Png));
        assert_eq!(sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 "), Some(DocumentType::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(DocumentType::Pdf));
    }

    #[test]
    fn refuses_other_content_whatever_its_name() {
        assert_eq!(sniff(b"MZ\x90\x00"), None); // a Windows executable
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"RIFF\x00\x00\x00\x00WAVE"), None);
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(display_file_name("C:\\Users\\x\\هوية.pdf", DocumentType::Pdf), "هوية.pdf");
        assert_eq!(display_file_name("../../etc/passwd", DocumentType::Pdf), "passwd");
        assert_eq!(display_file_name("\u{202E}gpj.exe", DocumentType::Jpeg), "gpj.exe");
        assert_eq!(display_file_name("", DocumentType::Png), "document.png");
        assert_eq!(display_file_name("...", DocumentType::Png), "document.png");
    }

    #[test]
    fn mime_round_trip() {
        for kind in [DocumentType::Jpeg, DocumentType::Png, DocumentType::Webp, DocumentType::Pdf] {
            assert_eq!(DocumentType::from_mime(kind.mime()), Some(kind));
        }
    }
}
