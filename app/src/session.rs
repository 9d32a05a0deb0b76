//! Who is signed in. The session cookie holds a random token; the session itself
//! lives in the database (see `awn_storage::accounts`), so any app server can
//! answer and signing out everywhere is immediate.

/// The session cookie: `HttpOnly`, `SameSite=Lax`, `Secure` behind TLS.
pub const SESSION_COOKIE: &str = "awn_session";
/// The pending sign-in challenge (between asking for a code and typing it).
pub const CHALLENGE_COOKIE: &str = "awn_challenge";

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use awn_storage::{
        accounts::{self, BENEFICIARY, BeneficiaryAccount},
        now_unix_seconds,
    };
    use leptos::prelude::*;

    use super::SESSION_COOKIE;
    use crate::{error::AppError, preferences::read_cookie, state::app_context};

    /// The signed-in beneficiary, if any.
    pub async fn current_beneficiary() -> Result<Option<BeneficiaryAccount>, AppError> {
        let Some(token) = read_cookie(SESSION_COOKIE) else { return Ok(None) };
        let context = app_context()?;
        let owner = accounts::session_owner(&context.database, &token, now_unix_seconds()).await?;
        match owner {
            Some(owner) if owner.account_kind == BENEFICIARY => {
                Ok(accounts::beneficiary(&context.database, owner.account_id).await?)
            }
            _ => Ok(None),
        }
    }

    /// The signed-in beneficiary, or `SignInRequired`: the first line of every
    /// server function that touches a beneficiary's data.
    pub async fn require_beneficiary() -> Result<BeneficiaryAccount, AppError> {
        current_beneficiary().await?.ok_or(AppError::SignInRequired)
    }

    /// Adds a `Set-Cookie` to the response. `max_age` 0 deletes the cookie.
    pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64) {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
        let secure = app_context().map(|c| c.settings.behind_tls).unwrap_or(false);
        let cookie = format!(
            "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{}",
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Whether the current call is a plain HTML form post (no JavaScript): then the
    /// answer is a redirect and anything to show must survive it.
    pub fn is_plain_form_post() -> bool {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_owned))
            .is_some_and(|accept| accept.contains("text/html"))
    }
}
