//! The edge of the server: security headers on every response (pages get a
//! Content-Security-Policy with a per-response nonce, `page_policy`; everything
//! else a strict one), the cross-site request check, the confirmation before a
//! link from another site opens a staff page, no caching of personal data, and
//! load shedding.

use app::html::escape;
use std::sync::Arc;

use app::{
    edge_pages::{EdgePage, EdgeText, edge_text},
    error::AppError,
    preferences::{LANGUAGE_COOKIE, request_cookie},
};
use awn_domain::locale::Language;
use axum::{
    extract::{Request, State},
    http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use leptos::nonce::Nonce;
use tokio::sync::Semaphore;

use crate::static_files::Stylesheet;
use tower_http::set_header::SetResponseHeaderLayer;

/// The nonce of one response's inline scripts. Made here, handed to the page
/// renderer through the request (see `startup::router`), and named in the
/// response's policy: the header never depends on the render having set it.
#[derive(Clone)]
pub struct ResponseNonce(pub Nonce);

/// Gives each request a nonce and every HTML response the policy that lets only
/// scripts with that nonce (the hydration scripts) and our own files run; WASM
/// needs `wasm-unsafe-eval`.
pub async fn page_policy(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(ResponseNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_html {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
        );
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// The layers, outermost first.
pub fn header_layers(behind_tls: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let mut layers = vec![
        SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ),
        // No other site's window keeps a handle on ours, and no other site may
        // embed our responses (a document, an image) in its page.
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"),
        ),
    ];
    if behind_tls {
        layers.push(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    layers
}

/// What the checks at the edge of the server need, made once from the settings.
#[derive(Clone)]
pub struct EdgePolicy {
    /// Origins (`scheme://host[:port]`) a state-changing request may come from.
    allowed_origins: Arc<Vec<String>>,
    default_language: Language,
}

impl EdgePolicy {
    /// The public base URL's origin; in development, where the same loopback
    /// server is opened as 127.0.0.1, localhost or [::1], each of those too.
    pub fn new(public_base_url: &str, development: bool, default_language: Language) -> Self {
        let mut allowed = Vec::new();
        if let Some(origin) = origin_of(public_base_url) {
            if development && let Some((scheme, authority)) = origin.split_once("://") {
                let (host, port) = split_port(authority);
                if ["127.0.0.1", "localhost", "[::1]"].contains(&host) {
                    for alias in ["127.0.0.1", "localhost", "[::1]"] {
                        allowed.push(format!("{scheme}://{alias}{port}"));
                    }
                }
            }
            if !allowed.contains(&origin) {
                allowed.push(origin);
            }
        }
        EdgePolicy { allowed_origins: Arc::new(allowed), default_language }
    }

    fn language(&self, headers: &HeaderMap) -> Language {
        request_cookie(headers, LANGUAGE_COOKIE)
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or(self.default_language)
    }

    /// Whether a state-changing request comes from this site: a browser's
    /// `Sec-Fetch-Site` must say so when it is sent, and `Origin` (or, without
    /// it, `Referer`) must be this site's. No origin at all is refused too: every
    /// browser sends one on a POST, and a script that leaves it out on purpose
    /// has no business changing anything.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), CrossSite> {
        if let Some(site) = headers.get(SEC_FETCH_SITE) {
            let site = site.to_str().unwrap_or_default();
            if !site.eq_ignore_ascii_case("same-origin") && !site.eq_ignore_ascii_case("none") {
                return Err(CrossSite::FetchSite);
            }
        }
        let claimed = match headers.get(header::ORIGIN) {
            Some(origin) => origin.to_str().ok().and_then(origin_of),
            None => match headers.get(header::REFERER) {
                Some(referer) => referer.to_str().ok().and_then(origin_of),
                None => return Err(CrossSite::NoOrigin),
            },
        };
        match claimed {
            Some(origin) if self.allowed_origins.contains(&origin) => Ok(()),
            _ => Err(CrossSite::OtherOrigin),
        }
    }
}

/// Why a state-changing request was refused (for the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossSite {
    /// `Sec-Fetch-Site` says another site (or a same-site neighbour) sent it.
    FetchSite,
    /// `Origin` / `Referer` name another origin (or `null`).
    OtherOrigin,
    /// Neither `Origin` nor `Referer`.
    NoOrigin,
}

const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// `scheme://host[:port]` of a URL, lower-cased, without a default port:
/// the form browsers send in `Origin`. `None` for `null` and anything that is
/// not an http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // A user-info part (`user@host`) is never part of an origin.
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let (host, port) = split_port(&authority);
    let port = match (scheme.as_str(), port) {
        ("http", ":80") | ("https", ":443") => "",
        (_, port) => port,
    };
    Some(format!("{scheme}://{host}{port}"))
}

/// "host:port" → ("host", ":port"); IPv6 hosts keep their brackets.
fn split_port(authority: &str) -> (&str, &str) {
    let host_end = if authority.starts_with('[') { authority.find(']').map_or(authority.len(), |i| i + 1) } else { 0 };
    match authority[host_end..].rfind(':') {
        Some(i) => authority.split_at(host_end + i),
        None => (authority, ""),
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A server function called by the hydrated app (it wants the typed JSON
/// error), not a plain form posted by a browser without JavaScript.
fn wants_typed_error(request: &Request) -> bool {
    request.uri().path().starts_with("/api/")
        && !request
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// Refuses every state-changing request (server functions, plain form routes,
/// uploads) that does not come from this site: 403 with a typed error for the
/// app, a small page for a browser without JavaScript.
pub async fn refuse_cross_site(State(policy): State<EdgePolicy>, request: Request, next: Next) -> Response {
    if !changes_state(request.method()) {
        return next.run(request).await;
    }
    match policy.check(request.headers()) {
        Ok(()) => next.run(request).await,
        Err(why) => {
            tracing::warn!(?why, method = %request.method(), "cross-site request refused");
            if wants_typed_error(&request) {
                typed_error(StatusCode::FORBIDDEN, &AppError::Forbidden)
            } else {
                let text = edge_text(policy.language(request.headers()), EdgePage::CrossSiteRefused);
                small_page(
                    request.extensions(),
                    StatusCode::FORBIDDEN,
                    policy.language(request.headers()),
                    &text,
                    "/",
                    None,
                )
            }
        }
    }
}

/// A link from another site (or a same-site neighbour) into the staff workspace
/// opens a confirmation first, with a same-origin link to the same address:
/// nothing is read, and nothing audited, until the staff member chooses to go on.
pub async fn confirm_cross_site_staff_links(
    State(policy): State<EdgePolicy>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let is_staff = path == "/staff" || path.starts_with("/staff/");
    let from_elsewhere = request
        .headers()
        .get(SEC_FETCH_SITE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|site| site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site"));
    if !is_staff || !from_elsewhere || changes_state(request.method()) {
        return next.run(request).await;
    }
    let target = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/staff");
    let target = awn_domain::return_path::safe_return_path(target).unwrap_or("/staff");
    let language = policy.language(request.headers());
    let text = edge_text(language, EdgePage::ConfirmStaffLink);
    small_page(request.extensions(), StatusCode::OK, language, &text, target, Some(target))
}

/// A path holding a control character (`/survey-answers/abc%00def`) names no
/// page, token or id of the site: 404 before any handler sees it, so no such
/// value reaches the database or a header.
pub async fn refuse_control_characters(State(policy): State<EdgePolicy>, request: Request, next: Next) -> Response {
    if !awn_domain::return_path::has_control_characters(request.uri().path()) {
        return next.run(request).await;
    }
    if wants_typed_error(&request) {
        return typed_error(StatusCode::NOT_FOUND, &AppError::NotFound);
    }
    let language = policy.language(request.headers());
    small_page(
        request.extensions(),
        StatusCode::NOT_FOUND,
        language,
        &edge_text(language, EdgePage::NotFound),
        "/",
        None,
    )
}

/// The typed error a server function answers with (what the app's client decodes).
pub fn typed_error(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A minimal page in the visitor's language: title, paragraph, optionally the
/// address in question, and one link. Every value is escaped. The request's
/// `extensions` name the stylesheet.
pub fn small_page(
    extensions: &Extensions,
    status: StatusCode,
    language: Language,
    text: &EdgeText,
    href: &str,
    shown: Option<&str>,
) -> Response {
    let (lang, dir) = match language {
        Language::Arabic => ("ar", "rtl"),
        Language::English => ("en", "ltr"),
    };
    let shown = shown.map(|address| format!("<p><code dir=\"ltr\">{}</code></p>", escape(address))).unwrap_or_default();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main class=\"page\">\
         <div class=\"card card--centered\"><h1>{title}</h1><p>{body}</p>{shown}\
         <p><a class=\"button button--primary\" href=\"{href}\">{link}</a></p></div></main></body></html>",
        title = escape(&text.title),
        body = escape(&text.body),
        href = escape(href),
        link = escape(&text.link),
        stylesheet = escape(&Stylesheet::of(extensions)),
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `Cache-Control: no-store` on everything that does not set its own: pages,
/// server functions and downloads may carry personal data, which must not stay
/// in a shared computer's cache or a proxy. The site's files say how long they
/// may be kept (`static_files`); a handler's own value is kept.
pub async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// How many requests (and, of those, uploads) are handled at once.
#[derive(Clone)]
pub struct LoadLimits {
    requests: Arc<Semaphore>,
    uploads: Arc<Semaphore>,
    policy: EdgePolicy,
}

/// Seconds a turned-away client is asked to wait.
pub const RETRY_AFTER_SECONDS: u64 = 5;

impl LoadLimits {
    pub fn new(max_requests: usize, max_uploads: usize, policy: EdgePolicy) -> Self {
        LoadLimits {
            requests: Arc::new(Semaphore::new(max_requests.max(1))),
            uploads: Arc::new(Semaphore::new(max_uploads.max(1))),
            policy,
        }
    }
}

/// Sheds load: past the limit a request is answered at once with 503 and
/// `Retry-After` instead of queueing until memory or the database pool runs
/// out. Uploads (multipart bodies, each up to the upload limit in memory) have a
/// smaller limit of their own. Health probes always pass: a busy server is
/// still alive.
pub async fn shed_load(State(limits): State<LoadLimits>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    let Ok(_request_permit) = limits.requests.clone().try_acquire_owned() else {
        return busy(&limits.policy, &request);
    };
    let is_upload = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("multipart/"));
    let _upload_permit = if is_upload {
        match limits.uploads.clone().try_acquire_owned() {
            Ok(permit) => Some(permit),
            Err(_) => return busy(&limits.policy, &request),
        }
    } else {
        None
    };
    next.run(request).await
}

fn busy(policy: &EdgePolicy, request: &Request) -> Response {
    tracing::warn!(method = %request.method(), "too busy: request turned away");
    let mut response = if wants_typed_error(request) {
        typed_error(StatusCode::SERVICE_UNAVAILABLE, &AppError::Unavailable)
    } else {
        let language = policy.language(request.headers());
        let text = edge_text(language, EdgePage::Busy);
        small_page(request.extensions(), StatusCode::SERVICE_UNAVAILABLE, language, &text, "/", None)
    };
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn origins_are_compared_in_the_form_browsers_send() {
        assert_eq!(origin_of("https://Awn.Example.org/path?x").as_deref(), Some("https://awn.example.org"));
        assert_eq!(origin_of("https://awn.example.org:443").as_deref(), Some("https://awn.example.org"));
        assert_eq!(origin_of("http://127.0.0.1:3100/faq").as_deref(), Some("http://127.0.0.1:3100"));
        assert_eq!(origin_of("http://[::1]:3000").as_deref(), Some("http://[::1]:3000"));
        assert_eq!(origin_of("null"), None);
        assert_eq!(origin_of("https://user@evil.example"), None);
        assert_eq!(origin_of("file:///etc"), None);
    }

    #[test]
    fn only_this_sites_requests_change_anything() {
        let policy = EdgePolicy::new("https://awn.example.org", false, Language::Arabic);
        let ok = |pairs: &[(&'static str, &str)]| policy.check(&headers(pairs));
        assert_eq!(ok(&[("origin", "https://awn.example.org")]), Ok(()));
        assert_eq!(ok(&[("origin", "https://awn.example.org"), ("sec-fetch-site", "same-origin")]), Ok(()));
        assert_eq!(ok(&[("referer", "https://awn.example.org/faq")]), Ok(()));
        assert_eq!(ok(&[("origin", "https://evil.example")]), Err(CrossSite::OtherOrigin));
        assert_eq!(ok(&[("origin", "https://awn.example.org.evil.example")]), Err(CrossSite::OtherOrigin));
        assert_eq!(ok(&[("origin", "http://awn.example.org")]), Err(CrossSite::OtherOrigin));
        assert_eq!(ok(&[("origin", "null")]), Err(CrossSite::OtherOrigin));
        assert_eq!(ok(&[("referer", "https://evil.example/https://awn.example.org")]), Err(CrossSite::OtherOrigin));
        assert_eq!(
            ok(&[("origin", "https://awn.example.org"), ("sec-fetch-site", "same-site")]),
            Err(CrossSite::FetchSite)
        );
        assert_eq!(ok(&[("sec-fetch-site", "cross-site")]), Err(CrossSite::FetchSite));
        assert_eq!(ok(&[]), Err(CrossSite::NoOrigin));
    }

    #[test]
    fn development_accepts_each_name_of_the_loopback_server() {
        let policy = EdgePolicy::new("http://127.0.0.1:3000", true, Language::Arabic);
        assert_eq!(policy.check(&headers(&[("origin", "http://localhost:3000")])), Ok(()));
        assert_eq!(policy.check(&headers(&[("origin", "http://localhost:3001")])), Err(CrossSite::OtherOrigin));
        let production = EdgePolicy::new("http://127.0.0.1:3000", false, Language::Arabic);
        assert_eq!(production.check(&headers(&[("origin", "http://localhost:3000")])), Err(CrossSite::OtherOrigin));
    }
}
