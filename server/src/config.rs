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
    /// inserted in the database directly).
    VerifyAudit,
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

#[derive(Debug, Clone, Args)]
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

    /// The file of the keys that encrypt personal data at rest (created with a
    /// new key for a new database). Default: data-keys.json in the data directory.
    /// Several app servers share one file; keep it out of database backups.
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

    /// The data key file: `AWN_DATA_KEY_FILE`, or data-keys.json in the data directory.
    pub fn data_key_path(&self) -> PathBuf {
        self.data_key_file.clone().unwrap_or_else(|| self.data_dir.join("data-keys.json"))
    }

    /// Whether people reach Awn over TLS.
    pub fn behind_tls(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }

    /// Settings for tests and tools: the defaults, as if no variable were set.
    pub fn defaults() -> Self {
        Cli::parse_from(["awn"]).settings
    }
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
    fn base_url_is_normalised() {
        let settings = parse(&["--public-base-url", "https://awn.example.org/"]).unwrap().settings;
        assert_eq!(settings.public_base_url, "https://awn.example.org");
        assert!(settings.behind_tls());
    }
}
