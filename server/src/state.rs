//! What every request handler may read: the Leptos options, the application's
//! context (database, settings, document store) and whether people reach Awn
//! over TLS. Built once by `startup`, shared by the routes.

use app::state::AppContext;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// Everything a request handler may need.
#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppContext,
    pub behind_tls: bool,
}
