//! Per-address abuse limits on the requests that cost money or staff time:
//! sign-in codes (each one a paid SMS), the anonymous forms whose every post
//! lands on a staff member's list, and staff sign-in. One middleware classifies
//! each request and counts it against its client address (`client_address`)
//! with a keyed GCRA limiter (`governor`); past the limit the request is refused
//! with 429 and `Retry-After` before any handler runs.
//!
//! These counts live in each app server's memory: with several servers an
//! address gets the limit at each. What must hold across servers (the SMS
//! budget, the codes per number) is counted in the database instead.

use std::{
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use app::{error::AppError, preferences::LANGUAGE_COOKIE};
use awn_domain::locale::Language;
use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};
use leptos::server_fn::error::FromServerFnError;

use crate::{
    client_address::{ClientAddress, client_address, limit_key},
    config::Settings,
};

/// What a limited request is, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitClass {
    /// Asking for a sign-in code (or a new one): an SMS.
    SignInCode,
    /// An anonymous form that lands on a staff list.
    Form,
    /// A staff sign-in attempt (a slow password check).
    StaffSignIn,
}

impl LimitClass {
    fn name(self) -> &'static str {
        match self {
            LimitClass::SignInCode => "sign_in_code",
            LimitClass::Form => "form",
            LimitClass::StaffSignIn => "staff_sign_in",
        }
    }
}

/// The server functions (under /api/) each class covers.
const SIGN_IN_CODE_FUNCTIONS: [&str; 3] = ["sign_in/request_code", "sign_in/resend_code", "volunteer/apply"];
const FORM_FUNCTIONS: [&str; 5] =
    ["inquiries/ask", "suggestions/send", "privacy/violation", "consent/choose", "complaints/submit"];
const STAFF_SIGN_IN_FUNCTIONS: [&str; 1] = ["staff/sign_in"];
/// Survey answers are plain form posts to /survey-answers/{token}.
const SURVEY_ANSWERS_PREFIX: &str = "/survey-answers/";

/// The class of a request, or `None` when it is not limited here. Only POSTs
/// change anything; server functions are only ever called with POST.
pub fn classify(method: &Method, path: &str) -> Option<LimitClass> {
    if method != Method::POST {
        return None;
    }
    if path.starts_with(SURVEY_ANSWERS_PREFIX) {
        return Some(LimitClass::Form);
    }
    let function = path.strip_prefix("/api/")?;
    if SIGN_IN_CODE_FUNCTIONS.contains(&function) {
        Some(LimitClass::SignInCode)
    } else if FORM_FUNCTIONS.contains(&function) {
        Some(LimitClass::Form)
    } else if STAFF_SIGN_IN_FUNCTIONS.contains(&function) {
        Some(LimitClass::StaffSignIn)
    } else {
        None
    }
}

type Limiter = DefaultKeyedRateLimiter<IpAddr>;

/// The limiters, one per class (`None`: that limit is off), and the proxy
/// header trusted for the client address.
pub struct AbuseLimits {
    trusted_proxy_header: Option<String>,
    /// The refusal page's language for a visitor who has not chosen one.
    default_language: Language,
    sign_in_codes: Option<Limiter>,
    forms: Option<Limiter>,
    staff_sign_ins: Option<Limiter>,
    checks: AtomicU64,
}

/// Forgotten addresses are dropped this often (in checks), so the limiters'
/// memory stays bounded by the addresses seen within the last hour or so.
const TIDY_EVERY_CHECKS: u64 = 4096;

impl AbuseLimits {
    pub fn from_settings(settings: &Settings) -> Arc<Self> {
        Arc::new(AbuseLimits {
            trusted_proxy_header: settings.trusted_proxy_header.clone(),
            default_language: settings.default_locale,
            sign_in_codes: per_hour(settings.limit_codes_per_hour),
            forms: per_hour(settings.limit_forms_per_hour),
            staff_sign_ins: per_hour(settings.limit_staff_sign_ins_per_hour),
            checks: AtomicU64::new(0),
        })
    }

    /// Counts one request of `class` from `address`; `Err(wait)` when over the limit.
    pub fn check(&self, class: LimitClass, address: IpAddr) -> Result<(), Duration> {
        let limiter = match class {
            LimitClass::SignInCode => &self.sign_in_codes,
            LimitClass::Form => &self.forms,
            LimitClass::StaffSignIn => &self.staff_sign_ins,
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % TIDY_EVERY_CHECKS == TIDY_EVERY_CHECKS - 1 {
            for limiter in [&self.sign_in_codes, &self.forms, &self.staff_sign_ins].into_iter().flatten() {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
        limiter.check_key(&limit_key(address)).map_err(|not_until| not_until.wait_time_from(limiter.clock().now()))
    }
}

/// `count` requests an hour: all of them at once at most, then one more each
/// `3600 / count` seconds.
fn per_hour(count: u32) -> Option<Limiter> {
    NonZeroU32::new(count).map(|count| Limiter::keyed(Quota::per_hour(count)))
}

/// The middleware: notes the client address on the request (for handlers, as
/// [`ClientAddress`]) and refuses a limited request over its limit.
pub async fn enforce(State(limits): State<Arc<AbuseLimits>>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0);
    let address = client_address(request.headers(), peer, limits.trusted_proxy_header.as_deref());
    request.extensions_mut().insert(ClientAddress(address));
    // The same address for the app's server functions (the staff sign-in throttle).
    request.extensions_mut().insert(app::session::ResolvedClientAddress(address));
    if let Some(class) = classify(request.method(), request.uri().path())
        && let Err(wait) = limits.check(class, address)
    {
        tracing::warn!(class = class.name(), %address, "abuse limit reached: request refused");
        return refusal(&request, wait, limits.default_language);
    }
    next.run(request).await
}

/// The 429: a small localized page for a plain form post (a browser without
/// JavaScript asks for HTML), else the typed error a server-function call
/// decodes and the page shows.
fn refusal(request: &Request, wait: Duration, default_language: Language) -> Response {
    // Whole seconds, rounded up, at least one: `Retry-After: 0` would invite a retry loop.
    let retry_after_seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let wants_html = request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.contains("text/html"));
    let mut response = if wants_html {
        let language = app::preferences::request_cookie(request.headers(), LANGUAGE_COOKIE)
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or(default_language);
        let text = app::limits::refusal_text(language, retry_after_seconds);
        crate::security::small_page(
            request.extensions(),
            StatusCode::TOO_MANY_REQUESTS,
            language,
            &text,
            &back_to(request),
            None,
        )
    } else {
        let error = AppError::TooManyRequests { retry_after_seconds };
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            Body::from(error.ser()),
        )
            .into_response()
    };
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page the refused form was on: the Referer's path when it is this site
/// (same host as the request), else the home page. Never another site.
fn back_to(request: &Request) -> String {
    let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok());
    let referer = request.headers().get(header::REFERER).and_then(|value| value.to_str().ok());
    let (Some(host), Some(referer)) = (host, referer) else {
        return "/".into();
    };
    let rest = referer.strip_prefix("https://").or_else(|| referer.strip_prefix("http://"));
    let Some(path) = rest.and_then(|rest| rest.strip_prefix(host)) else {
        return "/".into();
    };
    awn_domain::return_path::return_path_or_home(Some(path)).to_owned()
}

/// Limits of the connection layer, below HTTP requests.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// A client that has not sent a request's whole head by then is dropped
    /// (also an idle kept-alive connection: it waits for the next head).
    pub header_read_timeout: Duration,
    /// Connections open at once; past it the listener waits (the kernel's
    /// queue holds newcomers), so idle sockets cannot use up file descriptors.
    pub max_connections: usize,
}

impl ConnectionLimits {
    pub fn from_settings(settings: &Settings) -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(settings.header_read_timeout_seconds),
            max_connections: usize::try_from(settings.max_connections).unwrap_or(usize::MAX),
        }
    }
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits { header_read_timeout: Duration::from_secs(10), max_connections: 500 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_costly_posts_are_classified_and_nothing_else() {
        let post = Method::POST;
        assert_eq!(classify(&post, "/api/sign_in/request_code"), Some(LimitClass::SignInCode));
        assert_eq!(classify(&post, "/api/sign_in/resend_code"), Some(LimitClass::SignInCode));
        assert_eq!(classify(&post, "/api/inquiries/ask"), Some(LimitClass::Form));
        assert_eq!(classify(&post, "/api/consent/choose"), Some(LimitClass::Form));
        assert_eq!(classify(&post, "/survey-answers/abc"), Some(LimitClass::Form));
        assert_eq!(classify(&post, "/api/staff/sign_in"), Some(LimitClass::StaffSignIn));
        assert_eq!(classify(&post, "/api/sign_in/verify_code"), None);
        assert_eq!(classify(&Method::GET, "/api/inquiries/ask"), None);
        assert_eq!(classify(&post, "/api/faq"), None);
    }

    #[test]
    fn a_limit_refuses_past_its_count_per_address() {
        let mut settings = Settings::defaults();
        settings.limit_codes_per_hour = 2;
        settings.limit_forms_per_hour = 0;
        let limits = AbuseLimits::from_settings(&settings);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limits.check(LimitClass::SignInCode, one).is_ok());
        assert!(limits.check(LimitClass::SignInCode, one).is_ok());
        let wait = limits.check(LimitClass::SignInCode, one).unwrap_err();
        // One more every half hour.
        assert!(wait > Duration::from_secs(1700) && wait <= Duration::from_secs(1800), "{wait:?}");
        assert!(limits.check(LimitClass::SignInCode, other).is_ok(), "another address has its own count");
        for _ in 0..100 {
            assert!(limits.check(LimitClass::Form, one).is_ok(), "0 turns a limit off");
        }
    }
}
