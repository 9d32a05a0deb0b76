//! Errors that reach the user interface. Each variant maps to a localized message;
//! details stay in the server log.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or is not the caller's to see).
    #[error("not found")]
    NotFound,
    /// The page or action is for a signed-in beneficiary.
    #[error("sign-in required")]
    SignInRequired,
    /// The staff workspace needs a staff sign-in.
    #[error("staff sign-in required")]
    StaffSignInRequired,
    /// Signed in, but the role does not allow this (checked on the server).
    #[error("forbidden")]
    Forbidden,
    /// The staff account must accept the privacy policy in force before it sees
    /// personal data (B2).
    #[error("privacy policy not accepted")]
    PolicyNotAccepted,
    /// Someone else changed or created the same thing first (a duplicate, or a
    /// change that no longer applies): answered with 409.
    #[error("conflict")]
    Conflict,
    /// The database or another dependency is unavailable right now.
    #[error("temporarily unavailable")]
    Unavailable,
    /// The request could not be carried to or from the server.
    #[error("transport: {0}")]
    Transport(String),
    /// Too many requests of this kind from the caller's address: answered
    /// with 429 and `Retry-After` by the server's abuse limits.
    #[error("too many requests")]
    TooManyRequests { retry_after_seconds: u64 },
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server, arguments that do not decode are the caller's mistake: 400.
        #[cfg(feature = "ssr")]
        if matches!(
            value,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_)
        ) && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        {
            response.set_status(http::StatusCode::BAD_REQUEST);
        }
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<awn_storage::StorageError> for AppError {
    fn from(error: awn_storage::StorageError) -> Self {
        use awn_storage::StorageError;
        match error {
            StorageError::NotFound(what) => {
                tracing::debug!(%what, "not found");
                AppError::NotFound
            }
            StorageError::Conflict(what) => {
                tracing::info!(%what, "conflict");
                AppError::Conflict
            }
            StorageError::UnsupportedUrl(_)
            | StorageError::DataDirectory { .. }
            | StorageError::Invalid(_)
            | StorageError::KeysNotOpened
            | StorageError::Database(_)
            | StorageError::Migration(_) => {
                tracing::error!(%error, "storage error");
                AppError::Unavailable
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status a direct call of a server function answers with: the
    /// server-function runtime answers every typed error with 500, which would
    /// make a missing request or an expired session look like a crash.
    pub fn http_status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignInRequired | AppError::StaffSignInRequired => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::PolicyNotAccepted => StatusCode::FORBIDDEN,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}
