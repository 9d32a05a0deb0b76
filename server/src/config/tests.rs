//! The settings' checks, defaults and redaction.

use clap::Parser;

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
    let settings = parse(&["--public-base-url", "https://awn.example.org", "--bind", "0.0.0.0:3000"]).unwrap().settings;
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
