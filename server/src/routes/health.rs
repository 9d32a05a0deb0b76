//! Probes for load balancers and orchestrators.

use axum::{extract::State, http::StatusCode};

use crate::state::ServerState;

/// The process is up and serving HTTP.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can do its work: the database answers.
pub async fn readyz(State(state): State<ServerState>) -> (StatusCode, &'static str) {
    match state.app.database.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
