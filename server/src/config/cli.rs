//! The command line: the subcommands, and the parsers that check each value of
//! a setting (flag or environment variable) before the server starts.

use awn_domain::{digits::parse_whole_number, locale::Language};
use clap::{Parser, Subcommand};

use super::Settings;

#[derive(Debug, Parser)]
#[command(
    name = "awn",
    version,
    about = "Awn (عون): beneficiary services of the Multi-Purpose Cooperative Association in Al-Rahah",
    long_about = "Awn (عون): beneficiary services of the Multi-Purpose Cooperative Association in \
                  Al-Rahah.\n\nWithout a command it serves the site. Every option can also be set \
                  by the environment variable shown with it."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Load the demo data (idempotent), then exit.
    SeedDemo {
        /// Also generate this many beneficiaries, each with a support request at
        /// some point of its way (documents, messages, survey answers), spread
        /// over two years: to see what staff views cost as the data grows. The
        /// same people each time: a second run adds only those missing.
        #[arg(long)]
        scale: Option<u64>,
    },
    /// Create a staff account (the first admin too: there is never a default
    /// password). The password is read from AWN_NEW_STAFF_PASSWORD or, if that is
    /// unset, from the first line of standard input, so it never shows in the
    /// process list. Admin and privacy-officer accounts get a TOTP secret, printed
    /// once for the authenticator app.
    CreateStaff {
        /// Sign-in name: letters, digits and . _ - @ (3–64 characters).
        #[arg(long)]
        username: String,
        /// The name colleagues see.
        #[arg(long)]
        name: String,
        /// One of: relations_officer, social_researcher, committee_member,
        /// service_officer, privacy_officer, admin, consultant, volunteer.
        #[arg(long)]
        role: String,
    },
    /// Check the audit log's hash chain from its first entry to its last; exits
    /// with an error at the first broken link (an entry edited, removed or
    /// inserted in the database directly). Needs the key file (the chain is an
    /// HMAC with its audit key).
    VerifyAudit {
        /// A head the server logged earlier ("audit chain head … hash=…"), kept
        /// apart from the database: the chain must still hold it, so entries
        /// removed from its end are found too.
        #[arg(long)]
        head: Option<String>,
    },
    /// Add a new data key, make it current and re-encrypt the personal data and
    /// the documents with it (B11). Run with the app servers stopped; then give
    /// every server the new key file. Older keys stay in the file to read backups.
    RotateDataKey,
    /// Write a consistent backup of the database while the server runs: SQLite
    /// with VACUUM INTO, PostgreSQL with pg_dump (custom format). The documents
    /// folder (data/documents) holds files written once: copy it alongside.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
}

pub(super) fn parse_base_url(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('/');
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err("must name a host, e.g. https://awn.example.org".into());
    }
    Ok(value.to_owned())
}

pub(super) fn parse_decision_period(value: &str) -> Result<u32, String> {
    let days = parse_whole_number(value).map_err(|e| e.to_string())?;
    match u32::try_from(days) {
        Ok(days @ 1..=365) => Ok(days),
        _ => Err("must be a number of days from 1 to 365".into()),
    }
}

pub(super) fn parse_grace(value: &str) -> Result<u64, String> {
    let seconds = parse_whole_number(value).map_err(|e| e.to_string())?;
    if seconds <= 600 { Ok(seconds) } else { Err("must be at most 600 seconds".into()) }
}

pub(super) fn parse_upload_limit(value: &str) -> Result<u64, String> {
    match parse_whole_number(value).map_err(|e| e.to_string())? {
        megabytes @ 1..=50 => Ok(megabytes),
        _ => Err("must be a number of megabytes from 1 to 50".into()),
    }
}

pub(super) fn parse_sms_template(value: &str) -> Result<String, String> {
    if !value.contains("{to}") || !value.contains("{message}") {
        return Err("must contain {to} and {message}".into());
    }
    Ok(value.to_owned())
}

pub(super) fn parse_header_name(value: &str) -> Result<String, String> {
    let name = value.trim().to_ascii_lowercase();
    match http::HeaderName::from_bytes(name.as_bytes()) {
        Ok(_) if !name.is_empty() => Ok(name),
        _ => Err("must be a header name, e.g. x-forwarded-for".into()),
    }
}

pub(super) fn parse_limit(value: &str) -> Result<u32, String> {
    let number = parse_whole_number(value).map_err(|e| e.to_string())?;
    match u32::try_from(number) {
        Ok(number @ 0..=1_000_000) => Ok(number),
        _ => Err("must be a number from 0 to 1000000".into()),
    }
}

pub(super) fn parse_language(value: &str) -> Result<Language, String> {
    Language::from_tag(value).ok_or_else(|| "must be ar or en".into())
}
