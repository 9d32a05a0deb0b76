//! What the server hands to pages and server functions (server side only).

use std::sync::Arc;

use awn_domain::locale::Language;
use awn_storage::Database;
use leptos::prelude::*;

use crate::error::AppError;

/// Settings the UI needs from the server's configuration.
#[derive(Debug, Clone)]
pub struct UiSettings {
    /// Days the research committee has to decide (requirement A13).
    pub decision_period_days: u32,
    /// The language used when the visitor has not chosen one.
    pub default_language: Language,
    /// People reach Awn over TLS: cookies are `Secure`.
    pub behind_tls: bool,
    /// Largest upload accepted.
    pub max_upload_bytes: u64,
    /// Where people reach Awn, without a trailing slash: links in messages.
    pub public_base_url: String,
    /// How long a staff session lasts unused, and at most.
    pub staff_session: awn_storage::accounts::SessionTimes,
    /// How long a beneficiary's session lasts unused, and at most.
    pub beneficiary_session: awn_storage::accounts::SessionTimes,
    /// Most SMS queued in an hour, all servers together; past it no sign-in codes (0: none).
    pub sms_budget_per_hour: u32,
    /// Support requests, questions and complaints an account may send a day, of each (0: no cap).
    pub submissions_per_day: u32,
}

/// Shared by every request: provided to each render and server function as context.
#[derive(Clone, Debug)]
pub struct AppContext {
    pub database: Database,
    pub settings: Arc<UiSettings>,
    /// Where uploaded documents' bytes live.
    pub documents: awn_storage::documents::SharedDocumentStore,
    /// The home page's reference data, kept a few seconds.
    pub home_content: Arc<crate::application::home_content::HomeContentCache>,
}

/// The context of the current request, or `Unavailable` if the server forgot it.
pub fn app_context() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing from the request context");
        AppError::Unavailable
    })
}
