#![recursion_limit = "256"]

use std::process::ExitCode;

use clap::Parser;
use server::{
    config::{Cli, Command},
    startup::{Application, prepare_database, prepare_database_without_keys, termination_signal},
    telemetry,
};

/// See server/Cargo.toml: the allocator under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // Before anything is written: the database, its WAL, backups, documents and
    // the key file are the server user's only.
    server::startup::owner_only_files();
    let cli = Cli::parse();
    telemetry::init(cli.settings.log_format);
    let settings = cli.settings;

    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match Application::build(&settings).await {
            Ok(app) => app.run_until(termination_signal()).await.map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        Command::Migrate => prepare_database(&settings).await.map(|_| ()).map_err(|e| e.to_string()),
        Command::CreateStaff { username, name, role } => create_staff(&settings, &username, &name, &role).await,
        Command::VerifyAudit { head } => verify_audit(&settings, head.as_deref()).await,
        Command::Backup { to } => backup(&settings, &to).await,
        Command::RotateDataKey => rotate_data_key(&settings).await,
        Command::SeedDemo { scale } => seed_demo(server::config::Settings { demo_data: true, ..settings }, scale).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "awn stopped with an error");
            eprintln!("awn: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `awn seed-demo [--scale N]`: the demo data, and N generated beneficiaries.
async fn seed_demo(settings: server::config::Settings, scale: Option<u64>) -> Result<(), String> {
    let database = prepare_database(&settings).await.map_err(|e| e.to_string())?;
    let Some(count) = scale else { return Ok(()) };
    // Generated data can be generated again: no flush to the disk per commit.
    let bulk = database.for_bulk_load(&settings.database_url()).await.map_err(|e| e.to_string())?;
    let documents =
        awn_storage::documents::LocalDiskStore::encrypted(settings.data_dir.join("documents"), bulk.clone());
    let started = std::time::Instant::now();
    let report = awn_storage::demo::seed_scale(&bulk, &documents, count, awn_storage::now_unix_seconds())
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{count} generated beneficiaries in place in {:.1} s: {} requests, {} documents, {} messages, \
         {} survey answers added ({} were there already)",
        started.elapsed().as_secs_f64(),
        report.requests,
        report.documents,
        report.messages,
        report.survey_answers,
        report.skipped
    );
    Ok(())
}

/// `awn rotate-data-key`: a new current data key, and everything re-encrypted with it.
async fn rotate_data_key(settings: &server::config::Settings) -> Result<(), String> {
    let database = prepare_database_without_keys(settings).await.map_err(|e| e.to_string())?;
    let path = settings.data_key_path();
    let (key, rows, files) = awn_storage::crypto::rotate(
        &database,
        &path,
        &settings.data_dir.join("documents"),
        awn_storage::now_unix_seconds(),
    )
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "data key {key} is now current: {rows} values and {files} documents re-encrypted; \
         give every app server the new {} (the old one is kept as {})",
        path.display(),
        path.with_extension("previous").display()
    );
    Ok(())
}

/// `awn backup --to FILE`: a consistent snapshot while the server runs.
async fn backup(settings: &server::config::Settings, to: &std::path::Path) -> Result<(), String> {
    if to.exists() {
        return Err(format!("{} exists already: choose a new file", to.display()));
    }
    let database = prepare_database_without_keys(settings).await.map_err(|e| e.to_string())?;
    // Owner-only whatever the umask of whoever runs it: created empty with mode
    // 0600 first, then filled (VACUUM INTO and pg_dump write into an existing file).
    create_owner_only(to)?;
    match database.backend() {
        awn_storage::Backend::Sqlite => {
            // VACUUM INTO refuses an existing file, even an empty one.
            let _ = std::fs::remove_file(to);
            database.snapshot_sqlite(to).await.map_err(|e| e.to_string())?;
            server::startup::make_owner_only(to).map_err(|e| format!("{}: {e}", to.display()))?;
        }
        awn_storage::Backend::Postgres => {
            let url = settings.database_url();
            let status = std::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg("--file")
                .arg(to)
                .arg("--dbname")
                .arg(&url)
                .status()
                .map_err(|e| format!("could not run pg_dump (is the PostgreSQL client installed?): {e}"))?;
            if !status.success() {
                return Err(format!("pg_dump failed ({status})"));
            }
        }
    }
    server::startup::make_owner_only(to).map_err(|e| format!("{}: {e}", to.display()))?;
    println!("backup written to {}", to.display());
    Ok(())
}

/// Creates `path` empty, readable and writable by its owner only.
fn create_owner_only(path: &std::path::Path) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(|_| ()).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

/// `awn verify-audit [--head HASH]`: walks the audit chain (with the audit key
/// from the key file) and says where it first breaks; with a kept head, also
/// that the chain still holds it.
async fn verify_audit(settings: &server::config::Settings, head: Option<&str>) -> Result<(), String> {
    let database = prepare_database(settings).await.map_err(|e| e.to_string())?;
    let check = match head {
        Some(head) => awn_storage::audit::verify_chain_to(&database, head).await,
        None => awn_storage::audit::verify_chain(&database).await,
    }
    .map_err(|e| e.to_string())?;
    match check.first_broken {
        None => {
            let kept = if head.is_some() { ", and it holds the kept head" } else { "" };
            println!("the audit log is intact: {} entries checked{kept}", check.entries_checked);
            Ok(())
        }
        Some(broken) => Err(format!(
            "the audit log is broken at place {} (entry {}): {:?}; {} entries before it are intact",
            broken.position,
            broken.entry_id.map(|id| id.to_string()).unwrap_or_else(|| "missing".into()),
            broken.problem,
            check.entries_checked
        )),
    }
}

/// `awn create-staff`: one account, with the password from the environment or stdin.
async fn create_staff(
    settings: &server::config::Settings,
    username: &str,
    name: &str,
    role_code: &str,
) -> Result<(), String> {
    use awn_domain::staff::StaffRole;
    use awn_storage::staff::{NewStaff, StaffProblem};
    let role = StaffRole::from_code(role_code.trim()).ok_or_else(|| {
        let roles: Vec<&str> = StaffRole::ALL.iter().map(|role| role.code()).collect();
        format!("unknown role `{role_code}`: use one of {}", roles.join(", "))
    })?;
    let password = match std::env::var("AWN_NEW_STAFF_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| format!("could not read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    // With the data keys: a second factor's secret is stored encrypted.
    let database = prepare_database(settings).await.map_err(|e| e.to_string())?;
    let created = awn_storage::staff::create(
        &database,
        NewStaff { username, display_name: name, role, password: &password },
        awn_storage::now_unix_seconds(),
    )
    .await
    .map_err(|e| e.to_string())?;
    match created {
        Ok(created) => {
            println!("created staff account {} ({}) with id {}", username.trim(), role.code(), created.id);
            if let (Some(secret), Some(uri)) = (created.totp_secret, created.otpauth_uri) {
                println!("this role signs in with a second factor; add it to an authenticator app:");
                println!("  secret: {secret}");
                println!("  uri:    {uri}");
            }
            Ok(())
        }
        Err(StaffProblem::UsernameTaken) => Err(format!("the username `{username}` is taken")),
        Err(StaffProblem::UsernameInvalid) => Err("the username must be 3–64 letters, digits or . _ - @".to_owned()),
        Err(StaffProblem::DisplayNameRequired) => Err("the name is required".to_owned()),
        Err(StaffProblem::TooGuessable) => {
            Err("the password is too easy to guess (a common word, name, date or keyboard run): \
             choose a longer passphrase of unrelated words"
                .to_owned())
        }
        Err(StaffProblem::Password(problem)) => Err(format!(
            "the password is not accepted ({}): at least {} characters, not the username, not one repeated character",
            problem.code(),
            awn_domain::staff::MIN_PASSWORD_CHARS
        )),
    }
}
