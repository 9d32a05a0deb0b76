//! Configuration from the command line and environment variables, with safe
//! defaults. An invalid value stops the server at start with a message naming the
//! variable, never later with a surprise.

use std::{net::SocketAddr, path::PathBuf};

use awn_domain::{digits::parse_whole_number, locale::Language};
use clap::{Args, Parser, Subcommand, ValueEnum};

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
    SeedDemo,
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

/// `Debug` is written by hand below: it never shows a secret.
#[derive(Clone, Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(long, env = "AWN_BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,

    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB.
    /// Default: the SQLite file awn.db in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Directory for the SQLite database and uploaded files.
    #[arg(long, env = "AWN_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// The file of the keys that encrypt personal data at rest and key the audit
    /// chain (created with new keys for a new database). Default: data-keys.json
    /// in a folder beside the data directory, named after it with "-keys"
    /// (./data-keys/ for ./data), so a copy of the data directory alone reads
    /// nothing. Several app servers share one file; keep it out of database backups.
    #[arg(long, env = "AWN_DATA_KEY_FILE", global = true)]
    pub data_key_file: Option<PathBuf>,

    /// The data keys themselves (the key file's JSON), for servers given their
    /// secrets by the environment; takes the place of the key file.
    #[arg(long, env = "AWN_DATA_KEYS", global = true, hide_env_values = true)]
    pub data_keys: Option<String>,

    /// The address people use to reach Awn (links in messages; `https` turns on
    /// secure cookies and HSTS).
    #[arg(
        long,
        env = "AWN_PUBLIC_BASE_URL",
        default_value = "http://127.0.0.1:3000",
        value_parser = parse_base_url,
        global = true
    )]
    pub public_base_url: String,

    /// Days the research committee has to decide on a request (1–365).
    #[arg(
        long,
        env = "AWN_DECISION_PERIOD_DAYS",
        default_value = "14",
        value_parser = parse_decision_period,
        global = true
    )]
    pub decision_period_days: u32,

    /// Language for visitors who have not chosen one: ar or en.
    #[arg(long, env = "AWN_DEFAULT_LOCALE", default_value = "ar", value_parser = parse_language, global = true)]
    pub default_locale: Language,

    /// Directory holding the built site (pkg/ with the WASM, JS and CSS; public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Load the demo data at start (AWN_DEMO_DATA=1, true or yes).
    #[arg(long, env = "AWN_DEMO_DATA", global = true, value_parser = clap::builder::BoolishValueParser::new())]
    pub demo_data: bool,

    /// Log format: text for people, json for log collectors.
    #[arg(long, env = "AWN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Seconds to let in-flight requests finish after SIGTERM.
    #[arg(long, env = "AWN_SHUTDOWN_GRACE_SECONDS", default_value = "20", value_parser = parse_grace, global = true)]
    pub shutdown_grace_seconds: u64,

    /// development turns on /dev/outbox and logs message bodies (sign-in codes
    /// included); never use it on a server people rely on.
    #[arg(long, env = "AWN_ENVIRONMENT", value_enum, default_value_t = Environment::Production, global = true)]
    pub environment: Environment,

    /// Largest document a beneficiary may upload, in megabytes (1–50).
    #[arg(long, env = "AWN_MAX_UPLOAD_MB", default_value = "10", value_parser = parse_upload_limit, global = true)]
    pub max_upload_mb: u64,

    /// HTTP SMS gateway: the URL messages are POSTed to. Without it SMS go to the log.
    #[arg(long, env = "AWN_SMS_GATEWAY_URL", value_parser = parse_base_url, global = true)]
    pub sms_gateway_url: Option<String>,

    /// Bearer token for the SMS gateway.
    #[arg(long, env = "AWN_SMS_GATEWAY_TOKEN", default_value = "", hide_env_values = true, global = true)]
    pub sms_gateway_token: String,

    /// JSON body sent to the SMS gateway; {to} and {message} are filled in.
    #[arg(
        long,
        env = "AWN_SMS_GATEWAY_TEMPLATE",
        default_value = r#"{"to":"{to}","message":"{message}"}"#,
        value_parser = parse_sms_template,
        global = true
    )]
    pub sms_gateway_template: String,

    /// SMTP server for email, e.g. smtps://user:password@mail.example.org:465.
    /// Without it email goes to the log.
    #[arg(long, env = "AWN_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// Sender of email, e.g. "عون <awn@example.org>".
    #[arg(long, env = "AWN_SMTP_FROM", default_value = "Awn <awn@localhost>", global = true)]
    pub smtp_from: String,

    /// Milliseconds between outbox polls.
    #[arg(long, env = "AWN_OUTBOX_POLL_MS", default_value = "2000", value_parser = clap::value_parser!(u64).range(50..=600_000), global = true)]
    pub outbox_poll_ms: u64,

    /// Serve production over plain http:// (AWN_ALLOW_HTTP=1): only for a test
    /// machine or behind a proxy that is itself reached over https but talks
    /// http to Awn with an http:// public URL. Without it production refuses to
    /// start with an http:// AWN_PUBLIC_BASE_URL.
    #[arg(long, env = "AWN_ALLOW_HTTP", global = true, value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_http: bool,

    /// Seconds a client has to send a request's headers; a connection that
    /// sends them slower (or never) is closed.
    #[arg(long, env = "AWN_HEADER_READ_TIMEOUT_SECONDS", default_value = "10", value_parser = clap::value_parser!(u64).range(1..=300), global = true)]
    pub header_read_timeout_seconds: u64,

    /// Seconds a request may take from its headers to its answer, uploads
    /// included (then 408).
    #[arg(long, env = "AWN_REQUEST_TIMEOUT_SECONDS", default_value = "120", value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout_seconds: u64,

    /// Seconds a request body may stall between two pieces before it is dropped.
    #[arg(long, env = "AWN_BODY_TIMEOUT_SECONDS", default_value = "20", value_parser = clap::value_parser!(u64).range(1..=600), global = true)]
    pub body_timeout_seconds: u64,

    /// Requests handled at once; more are answered 503 with Retry-After at once
    /// (health probes are never turned away).
    #[arg(long, env = "AWN_MAX_CONCURRENT_REQUESTS", default_value = "256", value_parser = clap::value_parser!(u64).range(1..=100_000), global = true)]
    pub max_concurrent_requests: u64,

    /// Uploads (multipart forms) read at once: each may hold a whole document in
    /// memory; more are answered 503 with Retry-After.
    #[arg(long, env = "AWN_MAX_CONCURRENT_UPLOADS", default_value = "8", value_parser = clap::value_parser!(u64).range(1..=1_000), global = true)]
    pub max_concurrent_uploads: u64,

    /// Open client connections at most; further ones wait in the kernel's queue
    /// instead of using up the process's file descriptors.
    #[arg(long, env = "AWN_MAX_CONNECTIONS", default_value = "500", value_parser = clap::value_parser!(u64).range(1..=100_000), global = true)]
    pub max_connections: u64,
    /// Days a delivered, failed or cancelled message is kept (its body is blanked
    /// at once) before it is deleted (1–3650).
    #[arg(
        long,
        env = "AWN_OUTBOX_RETENTION_DAYS",
        default_value = "30",
        value_parser = clap::value_parser!(u64).range(1..=3650),
        global = true
    )]
    pub outbox_retention_days: u64,

    /// Minutes between two entries of the audit chain's head in the log (and
    /// outbox housekeeping), 1–1440. Keep those log lines apart from the database:
    /// `awn verify-audit --head HASH` checks the log against one.
    #[arg(
        long,
        env = "AWN_AUDIT_HEAD_MINUTES",
        default_value = "60",
        value_parser = clap::value_parser!(u64).range(1..=1440),
        global = true
    )]
    pub audit_head_minutes: u64,

    /// Minutes a staff session may go unused before it ends (1–720): shared
    /// front-desk computers are left signed in.
    #[arg(long, env = "AWN_STAFF_IDLE_MINUTES", default_value = "30", value_parser = clap::value_parser!(u64).range(1..=720), global = true)]
    pub staff_idle_minutes: u64,

    /// Hours a staff session lasts at most, used or not (1–72).
    #[arg(long, env = "AWN_STAFF_SESSION_HOURS", default_value = "12", value_parser = clap::value_parser!(u64).range(1..=72), global = true)]
    pub staff_session_hours: u64,

    /// Days a beneficiary's session may go unused before it ends (1–30); it
    /// lasts thirty days at most.
    #[arg(long, env = "AWN_BENEFICIARY_IDLE_DAYS", default_value = "7", value_parser = clap::value_parser!(u64).range(1..=30), global = true)]
    pub beneficiary_idle_days: u64,

    /// The header the reverse proxy in front of Awn puts the client's address in
    /// (e.g. x-forwarded-for, x-real-ip). Unset: the connection's own address is
    /// the client's. Set it only behind a proxy that always writes this header,
    /// or anyone could claim any address.
    #[arg(long, env = "AWN_TRUSTED_PROXY_HEADER", value_parser = parse_header_name, global = true)]
    pub trusted_proxy_header: Option<String>,

    /// Sign-in codes one client address may ask for in an hour (0: no limit).
    #[arg(long, env = "AWN_LIMIT_CODES_PER_HOUR", default_value = "10", value_parser = parse_limit, global = true)]
    pub limit_codes_per_hour: u32,

    /// Anonymous forms (questions, suggestions, violation reports, consent
    /// choices, complaints, survey answers) one client address may send in an
    /// hour (0: no limit).
    #[arg(long, env = "AWN_LIMIT_FORMS_PER_HOUR", default_value = "20", value_parser = parse_limit, global = true)]
    pub limit_forms_per_hour: u32,

    /// Staff sign-in attempts one client address may make in an hour (0: no
    /// limit). A front desk shares one address: leave room for its staff.
    #[arg(
        long,
        env = "AWN_LIMIT_STAFF_SIGN_INS_PER_HOUR",
        default_value = "60",
        value_parser = parse_limit,
        global = true
    )]
    pub limit_staff_sign_ins_per_hour: u32,

    /// Most SMS queued in any hour, all app servers together (counted in the
    /// database). Past it sign-in codes are refused and the admin is alerted;
    /// other messages are still queued.
    #[arg(long, env = "AWN_SMS_BUDGET_PER_HOUR", default_value = "300", value_parser = parse_limit, global = true)]
    pub sms_budget_per_hour: u32,

    /// Support requests, questions and complaints one beneficiary account may
    /// send in a day, of each (0: no limit).
    #[arg(long, env = "AWN_SUBMISSIONS_PER_DAY", default_value = "5", value_parser = parse_limit, global = true)]
    pub submissions_per_day: u32,
}

/// What `Debug` shows of a secret: whether it is set, never its value.
struct Redacted(bool);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0 { "[redacted]" } else { "[unset]" })
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Field by field so that a new field stays out until someone decides it is
        // safe to show: the database URL and SMTP URL carry passwords, the data
        // keys and the gateway token are secrets themselves.
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &Redacted(self.database_url.is_some()))
            .field("data_dir", &self.data_dir)
            .field("data_key_file", &self.data_key_file)
            .field("data_keys", &Redacted(self.data_keys.is_some()))
            .field("public_base_url", &self.public_base_url)
            .field("decision_period_days", &self.decision_period_days)
            .field("default_locale", &self.default_locale)
            .field("site_root", &self.site_root)
            .field("demo_data", &self.demo_data)
            .field("log_format", &self.log_format)
            .field("environment", &self.environment)
            .field("max_upload_mb", &self.max_upload_mb)
            .field("sms_gateway_url", &self.sms_gateway_url)
            .field("sms_gateway_token", &Redacted(!self.sms_gateway_token.is_empty()))
            .field("smtp_url", &Redacted(self.smtp_url.is_some()))
            .field("smtp_from", &self.smtp_from)
            .field("outbox_poll_ms", &self.outbox_poll_ms)
            .field("outbox_retention_days", &self.outbox_retention_days)
            .field("audit_head_minutes", &self.audit_head_minutes)
            .field("allow_http", &self.allow_http)
            .field("header_read_timeout_seconds", &self.header_read_timeout_seconds)
            .field("request_timeout_seconds", &self.request_timeout_seconds)
            .field("body_timeout_seconds", &self.body_timeout_seconds)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("max_concurrent_uploads", &self.max_concurrent_uploads)
            .field("max_connections", &self.max_connections)
            .field("staff_idle_minutes", &self.staff_idle_minutes)
            .field("staff_session_hours", &self.staff_session_hours)
            .field("beneficiary_idle_days", &self.beneficiary_idle_days)
            .field("trusted_proxy_header", &self.trusted_proxy_header)
            .field("limit_codes_per_hour", &self.limit_codes_per_hour)
            .field("limit_forms_per_hour", &self.limit_forms_per_hour)
            .field("limit_staff_sign_ins_per_hour", &self.limit_staff_sign_ins_per_hour)
            .field("sms_budget_per_hour", &self.sms_budget_per_hour)
            .field("submissions_per_day", &self.submissions_per_day)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Settings {
    /// The database to use: `DATABASE_URL`, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("awn.db").display()),
        }
    }

    /// The data key file: `AWN_DATA_KEY_FILE`, or data-keys.json in the folder
    /// beside the data directory (`<data dir>-keys`): never inside it, so a copy
    /// of the data directory does not carry the keys that read it.
    pub fn data_key_path(&self) -> PathBuf {
        self.data_key_file.clone().unwrap_or_else(|| default_key_folder(&self.data_dir).join("data-keys.json"))
    }

    /// Where the key file was by default before it moved out of the data
    /// directory; `None` when the file is named by `AWN_DATA_KEY_FILE`.
    pub fn legacy_data_key_path(&self) -> Option<PathBuf> {
        self.data_key_file.is_none().then(|| self.data_dir.join("data-keys.json"))
    }

    /// Whether people reach Awn over TLS.
    pub fn behind_tls(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }

    /// Why these settings must not serve, if they must not: development mode
    /// (sign-in codes on /dev/outbox, bodies in the log) anywhere but loopback;
    /// production over plain http:// unless AWN_ALLOW_HTTP says so.
    pub fn serving_problem(&self) -> Option<String> {
        if self.environment == Environment::Development && !self.bind.ip().is_loopback() {
            return Some(format!(
                "AWN_ENVIRONMENT=development shows sign-in codes to anyone who can reach it: \
                 it only listens on a loopback address (127.0.0.1 or ::1), not {}",
                self.bind
            ));
        }
        if self.environment == Environment::Production && !self.behind_tls() && !self.allow_http {
            return Some(format!(
                "AWN_PUBLIC_BASE_URL is {} but production needs https:// (sessions and sign-in codes \
                 would cross the network in clear); set AWN_ALLOW_HTTP=1 only for a test machine",
                self.public_base_url
            ));
        }
        None
    }

    /// A staff session's limits.
    pub fn staff_session(&self) -> awn_storage::accounts::SessionTimes {
        awn_storage::accounts::SessionTimes {
            idle_seconds: self.staff_idle_minutes as i64 * 60,
            lifetime_seconds: self.staff_session_hours as i64 * 3600,
        }
    }

    /// A beneficiary's session's limits.
    pub fn beneficiary_session(&self) -> awn_storage::accounts::SessionTimes {
        awn_storage::accounts::SessionTimes::beneficiary(self.beneficiary_idle_days as i64 * 24 * 3600)
    }

    /// Settings for tests and tools: the defaults, as if no variable were set.
    pub fn defaults() -> Self {
        Cli::parse_from(["awn"]).settings
    }
}

/// `<data dir>-keys`, beside the data directory (`./data` → `./data-keys`).
fn default_key_folder(data_dir: &std::path::Path) -> PathBuf {
    // "." or "/" have no name of their own: name the folder after the absolute path's.
    let data_dir = match data_dir.file_name() {
        Some(_) => data_dir.to_path_buf(),
        None => std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf()),
    };
    let name = data_dir.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_else(|| "awn".into());
    data_dir.with_file_name(format!("{name}-keys"))
}

fn parse_base_url(value: &str) -> Result<String, String> {
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

fn parse_decision_period(value: &str) -> Result<u32, String> {
    let days = parse_whole_number(value).map_err(|e| e.to_string())?;
    match u32::try_from(days) {
        Ok(days @ 1..=365) => Ok(days),
        _ => Err("must be a number of days from 1 to 365".into()),
    }
}

fn parse_grace(value: &str) -> Result<u64, String> {
    let seconds = parse_whole_number(value).map_err(|e| e.to_string())?;
    if seconds <= 600 { Ok(seconds) } else { Err("must be at most 600 seconds".into()) }
}

fn parse_upload_limit(value: &str) -> Result<u64, String> {
    match parse_whole_number(value).map_err(|e| e.to_string())? {
        megabytes @ 1..=50 => Ok(megabytes),
        _ => Err("must be a number of megabytes from 1 to 50".into()),
    }
}

fn parse_sms_template(value: &str) -> Result<String, String> {
    if !value.contains("{to}") || !value.contains("{message}") {
        return Err("must contain {to} and {message}".into());
    }
    Ok(value.to_owned())
}

fn parse_header_name(value: &str) -> Result<String, String> {
    let name = value.trim().to_ascii_lowercase();
    match http::HeaderName::from_bytes(name.as_bytes()) {
        Ok(_) if !name.is_empty() => Ok(name),
        _ => Err("must be a header name, e.g. x-forwarded-for".into()),
    }
}

fn parse_limit(value: &str) -> Result<u32, String> {
    let number = parse_whole_number(value).map_err(|e| e.to_string())?;
    match u32::try_from(number) {
        Ok(number @ 0..=1_000_000) => Ok(number),
        _ => Err("must be a number from 0 to 1000000".into()),
    }
}

fn parse_language(value: &str) -> Result<Language, String> {
    Language::from_tag(value).ok_or_else(|| "must be ar or en".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("awn").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_are_safe() {
        let settings = parse(&[]).unwrap().settings;
        assert_eq!(settings.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(settings.decision_period_days, 14);
        assert_eq!(settings.default_locale, Language::Arabic);
        assert!(settings.database_url().starts_with("sqlite://"));
        assert!(settings.database_url().ends_with("awn.db"));
        assert!(!settings.behind_tls());
        assert!(!settings.demo_data);
        assert_eq!(settings.environment, Environment::Production);
        assert_eq!(settings.max_upload_mb, 10);
        assert!(settings.sms_gateway_url.is_none());
        assert_eq!(settings.staff_session().idle_seconds, 30 * 60);
        assert_eq!(settings.staff_session().lifetime_seconds, 12 * 3600);
        assert_eq!(settings.beneficiary_session().idle_seconds, 7 * 24 * 3600);
        assert!(settings.trusted_proxy_header.is_none(), "no header is trusted unless configured");
        assert_eq!(settings.limit_codes_per_hour, 10);
        assert_eq!(settings.limit_forms_per_hour, 20);
        assert_eq!(settings.sms_budget_per_hour, 300);
        assert_eq!(settings.submissions_per_day, 5);
    }

    #[test]
    fn limit_settings_are_checked() {
        let settings = parse(&["--trusted-proxy-header", "X-Forwarded-For"]).unwrap().settings;
        assert_eq!(settings.trusted_proxy_header.as_deref(), Some("x-forwarded-for"));
        assert!(parse(&["--trusted-proxy-header", "not a header"]).is_err());
        let error = parse(&["--sms-budget-per-hour", "2000000"]).unwrap_err().to_string();
        assert!(error.contains("0 to 1000000"), "{error}");
    }

    #[test]
    fn notification_settings_are_checked() {
        let error = parse(&["--sms-gateway-template", "{}"]).unwrap_err().to_string();
        assert!(error.contains("{to}"), "{error}");
        let error = parse(&["--max-upload-mb", "500"]).unwrap_err().to_string();
        assert!(error.contains("1 to 50"), "{error}");
    }

    #[test]
    fn invalid_values_are_refused_with_a_reason() {
        let error = parse(&["--decision-period-days", "0"]).unwrap_err().to_string();
        assert!(error.contains("1 to 365"), "{error}");
        let error = parse(&["--default-locale", "fr"]).unwrap_err().to_string();
        assert!(error.contains("ar or en"), "{error}");
        let error = parse(&["--public-base-url", "awn.org"]).unwrap_err().to_string();
        assert!(error.contains("http://"), "{error}");
        assert!(parse(&["--bind", "localhost"]).is_err());
        assert!(parse(&["--staff-idle-minutes", "0"]).is_err());
        assert!(parse(&["--staff-session-hours", "100"]).is_err());
        assert!(parse(&["--beneficiary-idle-days", "31"]).is_err());
    }

    #[test]
    fn numbers_may_be_typed_in_arabic_digits() {
        let settings = parse(&["--decision-period-days", "١٠"]).unwrap().settings;
        assert_eq!(settings.decision_period_days, 10);
    }

    #[test]
    fn options_work_after_a_subcommand() {
        let cli = parse(&["migrate", "--database-url", "postgres://h/awn"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Migrate)));
        assert_eq!(cli.settings.database_url(), "postgres://h/awn");
    }

    #[test]
    fn flags_accept_the_usual_spellings() {
        assert!(parse(&["--demo-data"]).unwrap().settings.demo_data);
        assert!(!parse(&[]).unwrap().settings.demo_data);
    }

    #[test]
    fn development_listens_on_loopback_only() {
        let settings = parse(&["--environment", "development", "--bind", "0.0.0.0:3000"]).unwrap().settings;
        assert!(settings.serving_problem().is_some_and(|p| p.contains("loopback")));
        let settings = parse(&["--environment", "development", "--bind", "192.168.1.5:3000"]).unwrap().settings;
        assert!(settings.serving_problem().is_some());
        for bind in ["127.0.0.1:3000", "[::1]:3000"] {
            let settings = parse(&["--environment", "development", "--bind", bind]).unwrap().settings;
            assert_eq!(settings.serving_problem(), None, "{bind}");
        }
    }

    #[test]
    fn the_key_file_is_beside_the_data_directory_not_in_it() {
        let settings = parse(&[]).unwrap().settings;
        assert_eq!(settings.data_key_path(), PathBuf::from("./data-keys/data-keys.json"));
        assert_eq!(settings.legacy_data_key_path(), Some(PathBuf::from("./data/data-keys.json")));
        let settings = parse(&["--data-dir", "/var/lib/awn/data/"]).unwrap().settings;
        assert_eq!(settings.data_key_path(), PathBuf::from("/var/lib/awn/data-keys/data-keys.json"));
        let settings = parse(&["--data-key-file", "/etc/awn/keys.json"]).unwrap().settings;
        assert_eq!(settings.data_key_path(), PathBuf::from("/etc/awn/keys.json"));
        assert_eq!(settings.legacy_data_key_path(), None);
        let settings = parse(&["--data-dir", "."]).unwrap().settings;
        // Named after the absolute path's folder, and outside it.
        assert!(!settings.data_key_path().starts_with(std::path::absolute(".").unwrap()));
        assert!(settings.data_key_path().parent().unwrap().file_name().unwrap().to_string_lossy().ends_with("-keys"));
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let cli = parse(&[
            "--database-url",
            "postgres://awn:db-pa55word@db.example.org/awn",
            "--data-keys",
            r#"{"current":1,"keys":{"1":"c2VjcmV0LWtleS1tYXRlcmlhbA"}}"#,
            "--sms-gateway-token",
            "sms-t0ken-value",
            "--smtp-url",
            "smtps://awn:smtp-pa55word@mail.example.org:465",
        ])
        .unwrap();
        for shown in [format!("{:?}", cli.settings), format!("{cli:?}"), format!("{:#?}", cli.settings)] {
            for secret in ["db-pa55word", "c2VjcmV0LWtleS1tYXRlcmlhbA", "sms-t0ken-value", "smtp-pa55word"] {
                assert!(!shown.contains(secret), "{secret} shows in {shown}");
            }
            assert!(shown.contains("[redacted]"), "{shown}");
        }
    }

    #[test]
    fn production_needs_https_unless_http_is_allowed() {
        let settings = parse(&["--public-base-url", "http://awn.example.org"]).unwrap().settings;
        assert!(settings.serving_problem().is_some_and(|p| p.contains("AWN_ALLOW_HTTP")));
        // The defaults (an http:// address) are refused too: a real server says where it lives.
        assert!(parse(&[]).unwrap().settings.serving_problem().is_some());
        let settings = parse(&["--public-base-url", "http://awn.example.org", "--allow-http"]).unwrap().settings;
        assert_eq!(settings.serving_problem(), None);
        let settings =
            parse(&["--public-base-url", "https://awn.example.org", "--bind", "0.0.0.0:3000"]).unwrap().settings;
        assert_eq!(settings.serving_problem(), None);
    }

    #[test]
    fn limits_have_safe_defaults_and_bounds() {
        let settings = parse(&[]).unwrap().settings;
        assert_eq!(settings.header_read_timeout_seconds, 10);
        assert_eq!(settings.max_connections, 500);
        assert!(!settings.allow_http);
        assert!(parse(&["--header-read-timeout-seconds", "0"]).is_err());
        assert!(parse(&["--max-concurrent-requests", "0"]).is_err());
    }

    #[test]
    fn base_url_is_normalised() {
        let settings = parse(&["--public-base-url", "https://awn.example.org/"]).unwrap().settings;
        assert_eq!(settings.public_base_url, "https://awn.example.org");
        assert!(settings.behind_tls());
    }
}
