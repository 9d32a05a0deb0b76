//! What every request handler may read: the Leptos options, the application's
//! context (database, settings, document store) and whether people reach Awn
//! over TLS. Built once by `startup`, shared by the routes.

use std::{ops::Deref, sync::Arc};

use app::state::AppContext;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// Everything a request handler may need, behind one `Arc`: axum clones a
/// route's state for every request, and cloning the options and the context field
/// by field (a score of reference counts, shared by every worker thread) was a
/// third of the server's time on a page answered from memory (`perf`, issue 16).
#[derive(Clone)]
pub struct ServerState(Arc<SharedState>);

/// What [`ServerState`] shares.
pub struct SharedState {
    pub leptos_options: LeptosOptions,
    pub app: AppContext,
    pub behind_tls: bool,
}

impl ServerState {
    pub fn new(leptos_options: LeptosOptions, app: AppContext, behind_tls: bool) -> Self {
        ServerState(Arc::new(SharedState { leptos_options, app, behind_tls }))
    }
}

impl Deref for ServerState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// For leptos_axum's handlers, which read the options from the state.
impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos_options.clone()
    }
}
