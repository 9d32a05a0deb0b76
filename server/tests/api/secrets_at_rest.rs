//! Secrets at rest and audit integrity (issue 12): owner-only files, the key file
//! beside the data directory, delivered bodies blanked, and the audit chain
//! checked against a head kept apart from the database.

use std::{path::Path, time::Duration};

use awn_storage::audit::{self, AuditAction, AuditEntry};

use crate::helpers::{TestApp, six_digits, spawn_app, spawn_app_with};

fn temp_dir(label: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("awn-{label}-{}", uuid::Uuid::new_v4().simple()))
}

/// The `awn` binary with `arguments`, its data in `data_dir` (SQLite there).
fn awn(data_dir: &Path, arguments: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_awn"))
        .args(arguments)
        .env_remove("DATABASE_URL")
        .env_remove("AWN_DATA_KEY_FILE")
        .env_remove("AWN_DATA_KEYS")
        .env("AWN_DATA_DIR", data_dir)
        .env("RUST_LOG", "error")
        .output()
        .expect("the awn binary runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[cfg(unix)]
fn group_and_other_bits(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o077
}

#[cfg(unix)]
#[test]
fn the_database_its_key_file_and_backups_are_the_server_users_only() {
    let data_dir = temp_dir("modes");
    let (ok, text) = awn(&data_dir, &["migrate"]);
    assert!(ok, "{text}");
    let mut settings = server::config::Settings::defaults();
    settings.data_dir = data_dir.clone();
    let key_file = settings.data_key_path();
    let mut paths = vec![
        data_dir.clone(),
        data_dir.join("awn.db"),
        key_file.clone(),
        key_file.parent().expect("a folder").to_path_buf(),
    ];
    let backup = data_dir.join("backup.db");
    let (ok, text) = awn(&data_dir, &["backup", "--to", backup.to_str().expect("a path")]);
    assert!(ok, "{text}");
    paths.push(backup);
    // The WAL while a server has the database open (it is removed at close).
    paths.extend(["awn.db-wal", "awn.db-shm"].map(|name| data_dir.join(name)).into_iter().filter(|p| p.exists()));
    for path in &paths {
        assert_eq!(group_and_other_bits(path), 0, "{} is readable by others", path.display());
    }
    // The key file is not in the data directory: a copy of it reads nothing.
    assert!(!key_file.starts_with(&data_dir), "{}", key_file.display());
    let _ = std::fs::remove_dir_all(&data_dir);
    let _ = std::fs::remove_dir_all(key_file.parent().expect("a folder"));
}

#[cfg(unix)]
#[test]
fn an_install_made_readable_by_others_is_tightened_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let data_dir = temp_dir("loose");
    let (ok, text) = awn(&data_dir, &["migrate"]);
    assert!(ok, "{text}");
    for path in [data_dir.clone(), data_dir.join("awn.db")] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let (ok, text) = awn(&data_dir, &["migrate"]);
    assert!(ok, "{text}");
    for path in [data_dir.clone(), data_dir.join("awn.db")] {
        assert_eq!(group_and_other_bits(&path), 0, "{}", path.display());
    }
    let mut settings = server::config::Settings::defaults();
    settings.data_dir = data_dir.clone();
    let _ = std::fs::remove_dir_all(&data_dir);
    let _ = std::fs::remove_dir_all(settings.data_key_path().parent().expect("a folder"));
}

#[tokio::test]
async fn a_key_file_left_in_the_data_directory_moves_beside_it() {
    let data_dir = temp_dir("legacy-keys");
    std::fs::create_dir_all(&data_dir).expect("a folder");
    let legacy = data_dir.join("data-keys.json");
    let text = awn_storage::crypto::Keyring::generate().to_file_text();
    std::fs::write(&legacy, &text).expect("the old key file");
    let dir = data_dir.clone();
    let app = spawn_app_with(move |settings| settings.data_dir = dir).await;
    let mut settings = server::config::Settings::defaults();
    settings.data_dir = data_dir.clone();
    let moved = settings.data_key_path();
    assert!(!legacy.exists(), "the old place is empty");
    assert_eq!(std::fs::read_to_string(&moved).expect("the new place"), text, "the same keys, moved");
    drop(app);
    let _ = std::fs::remove_dir_all(&data_dir);
    let _ = std::fs::remove_dir_all(moved.parent().expect("a folder"));
}

#[tokio::test]
async fn a_delivered_body_is_blanked_in_production_and_kept_for_the_development_outbox() {
    async fn delivered(app: &TestApp) -> String {
        for _ in 0..100 {
            let row: (String, String) = sqlx::query_as("SELECT status, body FROM outbox_messages")
                .fetch_one(app.database.pool())
                .await
                .expect("the message");
            if row.0 == "sent" {
                return row.1;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("never delivered");
    }
    let app = spawn_app_with(|settings| settings.outbox_poll_ms = 50).await;
    app.browser().call("sign_in/request_code", &[("mobile", "0501234567")]).await;
    assert_eq!(delivered(&app).await, "", "production: no code kept after delivery");

    let app = spawn_app_with(|settings| {
        settings.outbox_poll_ms = 50;
        settings.environment = server::config::Environment::Development;
    })
    .await;
    app.browser().call("sign_in/request_code", &[("mobile", "0501234567")]).await;
    let stored = delivered(&app).await;
    assert!(stored.starts_with("enc1:"), "development keeps it, encrypted: {stored}");
    let page = app.get("/dev/outbox").await.text().await.expect("a page");
    assert!(six_digits(&page).is_some(), "the development outbox still shows the code: {page}");
}

async fn record_entries(app: &TestApp, count: i64) {
    let staff_id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_accounts (username, display_name, role, password_hash, created_at) \
         VALUES ('audit.test', 'audit', 'privacy_officer', 'x', 0) RETURNING id",
    )
    .fetch_one(app.database.pool())
    .await
    .expect("a staff account");
    for n in 0..count {
        let entry = AuditEntry {
            staff_id,
            action: AuditAction::CaseView,
            beneficiary_id: Some(n),
            request_id: None,
            reason: "",
        };
        audit::record(&app.database, entry, 1_795_000_000 + n).await.expect("recorded");
    }
}

async fn verify(app: &TestApp, arguments: &[&str]) -> (bool, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_awn"));
    command
        .arg("verify-audit")
        .args(arguments)
        .env("DATABASE_URL", &app.database_url)
        .env("AWN_DATA_DIR", &app.data_dir)
        .env_remove("AWN_DATA_KEY_FILE")
        .env_remove("AWN_DATA_KEYS")
        .env("RUST_LOG", "error");
    let output = crate::helpers::run_awn(command).await;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[tokio::test]
async fn verify_audit_with_a_kept_head_finds_the_newest_entries_removed() {
    let app = spawn_app().await;
    record_entries(&app, 4).await;
    let kept = audit::head(&app.database).await.expect("the head");
    let (ok, text) = verify(&app, &["--head", &kept.hash]).await;
    assert!(ok && text.contains("kept head"), "{text}");

    // The newest entry removed and the head row moved back to match.
    if app.database.backend() == awn_storage::Backend::Postgres {
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER").execute(app.database.pool()).await.expect("owner");
    }
    let last = kept.position;
    sqlx::query("DELETE FROM audit_log WHERE chain_position = $1")
        .bind(last)
        .execute(app.database.pool())
        .await
        .expect("delete");
    let previous: String = sqlx::query_scalar("SELECT entry_hash FROM audit_log WHERE chain_position = $1")
        .bind(last - 1)
        .fetch_one(app.database.pool())
        .await
        .expect("the one before");
    sqlx::query("UPDATE audit_chain_head SET last_position = $1, last_hash = $2 WHERE id = 1")
        .bind(last - 1)
        .bind(&previous)
        .execute(app.database.pool())
        .await
        .expect("the head moved");
    let (ok, text) = verify(&app, &[]).await;
    assert!(ok, "the chain alone looks whole: {text}");
    let (ok, text) = verify(&app, &["--head", &kept.hash]).await;
    assert!(!ok && text.contains("KeptHeadMissing"), "{text}");
}
