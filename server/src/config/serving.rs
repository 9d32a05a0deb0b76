//! What the settings mean once read: where the database and the key file are,
//! whether the settings may serve at all, and the sessions' limits.

use std::path::PathBuf;

use clap::Parser;

use super::{Cli, Environment, Settings};

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
