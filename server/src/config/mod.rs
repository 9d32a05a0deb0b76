//! Configuration from the command line and environment variables, with safe
//! defaults. An invalid value stops the server at start with a message naming the
//! variable, never later with a surprise.
//!
//! The settings and what `Debug` shows of them are here; the command line and
//! the checks of each value in `cli.rs`; what the settings mean once read
//! (paths, sessions, whether they may serve at all) in `serving.rs`.

mod cli;
mod serving;
#[cfg(test)]
mod tests;

use std::{net::SocketAddr, path::PathBuf};

use awn_domain::locale::Language;
use clap::{Args, ValueEnum};

pub use cli::{Cli, Command};
use cli::{
    parse_base_url, parse_decision_period, parse_grace, parse_header_name, parse_language, parse_limit,
    parse_sms_template, parse_upload_limit,
};

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

    /// Directory holding the built site (pkg/ with the WASM, JS and CSS, named by
    /// their hashes in its hash.txt; public files).
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

    /// Seconds between the scheduler's looks for due jobs (reminders,
    /// escalations, lapses, digests); 0 turns this server's scheduler off
    /// (another server's, sharing the database, still runs them).
    #[arg(long, env = "AWN_SCHEDULER_TICK_SECONDS", default_value = "30", value_parser = clap::value_parser!(u64).range(0..=3600), global = true)]
    pub scheduler_tick_seconds: u64,

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
            .field("scheduler_tick_seconds", &self.scheduler_tick_seconds)
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
