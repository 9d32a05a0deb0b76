//! Who is signed in. The session cookie holds a random token; the session itself
//! lives in the database (see `awn_storage::accounts`), so any app server can
//! answer and signing out everywhere is immediate.

/// The session cookie on plain http (development): `HttpOnly`, `Path=/`.
pub const SESSION_COOKIE: &str = "awn_session";
/// The session cookie behind TLS: the `__Host-` prefix makes browsers refuse
/// it unless it is `Secure`, has `Path=/` and no `Domain`, so a sibling
/// subdomain or a plain-http page cannot plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-awn_session";
/// The pending sign-in challenge (between asking for a code and typing it).
pub const CHALLENGE_COOKIE: &str = "awn_challenge";
/// What a sign-out asks the browser to forget: the cached pages of the
/// session (a shared front-desk computer), its cookies and its storage.
pub const CLEAR_SITE_DATA: &str = "\"cache\", \"cookies\", \"storage\"";

/// The session cookie's name: [`SECURE_SESSION_COOKIE`] behind TLS, else [`SESSION_COOKIE`].
pub fn session_cookie_name(behind_tls: bool) -> &'static str {
    if behind_tls { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use awn_storage::{
        accounts::{self, BeneficiaryAccount},
        now_unix_seconds,
    };
    use leptos::prelude::*;

    use super::session_cookie_name;
    use crate::{error::AppError, preferences::read_cookie, state::app_context};

    /// Whose session a cookie is for: staff sessions are `SameSite=Strict`
    /// (no staff page acts on a request started by another site), a
    /// beneficiary's `Lax` (links from an SMS or another site still open
    /// their page signed in).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SessionKind {
        Beneficiary,
        Staff,
    }

    /// The session token the browser sent, if any.
    pub fn session_token() -> Option<String> {
        let behind_tls = app_context().map(|c| c.settings.behind_tls).unwrap_or(false);
        read_cookie(session_cookie_name(behind_tls))
    }

    /// The signed-in beneficiary, if any.
    pub async fn current_beneficiary() -> Result<Option<BeneficiaryAccount>, AppError> {
        let Some(token) = session_token() else { return Ok(None) };
        let context = app_context()?;
        Ok(accounts::session_beneficiary(&context.database, &token, now_unix_seconds()).await?)
    }

    /// The signed-in beneficiary, or `SignInRequired`: the first line of every
    /// server function that touches a beneficiary's data.
    pub async fn require_beneficiary() -> Result<BeneficiaryAccount, AppError> {
        current_beneficiary().await?.ok_or(AppError::SignInRequired)
    }

    /// Adds a `Set-Cookie` to the response. `max_age` 0 deletes the cookie.
    pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64) {
        append_cookie(name, value, max_age_seconds, "Lax");
    }

    fn append_cookie(name: &str, value: &str, max_age_seconds: i64, same_site: &str) {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
        let secure = app_context().map(|c| c.settings.behind_tls).unwrap_or(false);
        let cookie = format!(
            "{name}={value}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite={same_site}{}",
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// Sets the session cookie of a new session, for as long as the session can last.
    pub fn set_session_cookie(token: &str, kind: SessionKind) {
        let Ok(context) = app_context() else { return };
        let name = session_cookie_name(context.settings.behind_tls);
        match kind {
            SessionKind::Beneficiary => {
                append_cookie(name, token, context.settings.beneficiary_session.lifetime_seconds, "Lax")
            }
            SessionKind::Staff => append_cookie(name, token, context.settings.staff_session.lifetime_seconds, "Strict"),
        }
    }

    /// After a sign-out: the session cookie is deleted and the browser is
    /// asked to forget what the session left behind (`Clear-Site-Data`).
    pub fn end_session_in_browser() {
        let behind_tls = app_context().map(|c| c.settings.behind_tls).unwrap_or(false);
        set_cookie(session_cookie_name(behind_tls), "", 0);
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                http::HeaderName::from_static("clear-site-data"),
                http::HeaderValue::from_static(super::CLEAR_SITE_DATA),
            );
        }
    }

    /// The address the request came from, as the server sees it: the key of
    /// the per-address sign-in throttle. Without the connection's address
    /// (a server built without it) every request shares one key: stricter,
    /// never a failure.
    pub fn client_address() -> String {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                // The server's resolution (a trusted proxy's header, IPv6 by its /64) first.
                parts.extensions.get::<ResolvedClientAddress>().map(|resolved| resolved.0).or_else(|| {
                    parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip())
                })
            })
            .map(|ip| ip.to_string())
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// The client's address as the server's abuse limits worked it out, put in
    /// every request's extensions.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct ResolvedClientAddress(pub std::net::IpAddr);

    /// Whether the current call is a plain HTML form post (no JavaScript): then the
    /// answer is a redirect and anything to show must survive it.
    pub fn is_plain_form_post() -> bool {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_owned))
            .is_some_and(|accept| accept.contains("text/html"))
    }
}
