//! The public pages a visitor without a session asks for most (home, FAQ, privacy
//! policy, sign-in), rendered once and answered from memory for a moment.
//!
//! Such a page depends only on its address, the visitor's cookies (language, digits,
//! consent) and data that changes a few times a year; most anonymous traffic, and
//! any flood of it, asks for these few. Rendering them was most of the server's work
//! under load (issue 16). A page is kept [`PublicPageCache::KEPT_FOR`] and sent again
//! with the new response's nonce in place of the one it was rendered with.
//!
//! A request that may have changed data (anything but GET, HEAD and OPTIONS, answered
//! with a success or a redirect) makes this server forget every page; another app server's change shows
//! within `KEPT_FOR`. A page that sets a cookie, is not a 200 or not HTML is never
//! kept, and neither is anything asked with a session cookie.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use app::{
    preferences::cookie_value,
    session::{SECURE_SESSION_COOKIE, SESSION_COOKIE},
};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};

use crate::security::ResponseNonce;

/// The pages kept: public, and the same for every visitor with the same cookies.
const KEPT_PATHS: &[&str] = &["/", "/faq", "/privacy", "/sign-in"];
/// At most this many pages (address and cookies) at once, so a visitor inventing
/// addresses or cookies cannot fill the memory: past it, pages are rendered
/// and not kept until older ones expire.
const MAX_PAGES: usize = 256;
/// Longer addresses or cookies are rendered each time.
const MAX_KEY_BYTES: usize = 2048;
/// A public page is tens of kilobytes: a guard, not a limit any page comes near.
const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The pages this server keeps.
#[derive(Debug, Default)]
pub struct PublicPageCache {
    pages: RwLock<HashMap<PageKey, Arc<KeptPage>>>,
    /// Counts this server's changes; a page rendered before the last one is stale.
    generation: AtomicU64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    path_and_query: Box<str>,
    cookies: Box<str>,
}

#[derive(Debug)]
struct KeptPage {
    rendered_at: Instant,
    generation: u64,
    headers: HeaderMap,
    /// The body cut where the nonce it was rendered with stood.
    pieces: Vec<Bytes>,
}

impl KeptPage {
    /// Rendered since the server's last change (`generation`) and less than `KEPT_FOR` ago.
    fn is_fresh(&self, generation: u64, now: Instant) -> bool {
        self.generation == generation && now.saturating_duration_since(self.rendered_at) < PublicPageCache::KEPT_FOR
    }
}

impl PublicPageCache {
    /// How long a page is answered from memory.
    pub const KEPT_FOR: Duration = Duration::from_secs(2);

    /// Forgets every page: this server has taken a change.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut pages) = self.pages.write() {
            pages.clear();
        }
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn find(&self, key: &PageKey, now: Instant) -> Option<Arc<KeptPage>> {
        let pages = self.pages.read().ok()?;
        let page = pages.get(key)?;
        page.is_fresh(self.generation(), now).then(|| page.clone())
    }

    fn keep(&self, key: PageKey, page: KeptPage) {
        let Ok(mut pages) = self.pages.write() else { return };
        if page.generation != self.generation() {
            return;
        }
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            let (now, current) = (Instant::now(), self.generation());
            pages.retain(|_, kept| kept.is_fresh(current, now));
            if pages.len() >= MAX_PAGES {
                return;
            }
        }
        pages.insert(key, Arc::new(page));
    }
}

/// The key of a request whose page may be kept, if it may.
fn page_key(request: &Request) -> Option<PageKey> {
    if request.method() != Method::GET || !KEPT_PATHS.contains(&request.uri().path()) {
        return None;
    }
    let path_and_query = request.uri().path_and_query()?.as_str();
    let mut cookies = String::new();
    for value in request.headers().get_all(header::COOKIE) {
        let value = value.to_str().ok()?;
        if [SESSION_COOKIE, SECURE_SESSION_COOKIE].iter().any(|name| cookie_value(value, name).is_some()) {
            return None;
        }
        if !cookies.is_empty() {
            cookies.push_str("; ");
        }
        cookies.push_str(value);
    }
    (path_and_query.len() + cookies.len() <= MAX_KEY_BYTES)
        .then(|| PageKey { path_and_query: path_and_query.into(), cookies: cookies.into() })
}

/// Answers a kept page, or renders it and keeps it if it may be kept; after a
/// request that may change data, forgets every page.
pub async fn keep_public_pages(State(cache): State<Arc<PublicPageCache>>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let response = next.run(request).await;
        // A refused or failed request changed nothing (and cannot be used to empty the cache).
        if response.status().is_success() || response.status().is_redirection() {
            cache.forget_all();
        }
        return response;
    }
    let Some(key) = page_key(&request) else { return next.run(request).await };
    let Some(nonce) = request.extensions().get::<ResponseNonce>().map(|nonce| nonce.0.to_string()) else {
        return next.run(request).await;
    };
    if let Some(page) = cache.find(&key, Instant::now()) {
        return answer(&page, &nonce);
    }
    let generation = cache.generation();
    let response = next.run(request).await;
    if !may_keep(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            // The page was cut off; the visitor gets what any failed render gives.
            tracing::warn!(%error, "a public page's body could not be read");
            let mut failed = Response::new(Body::empty());
            *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return failed;
        }
    };
    let page = KeptPage {
        rendered_at: Instant::now(),
        generation,
        headers: parts.headers.clone(),
        pieces: cut_at(&body, nonce.as_bytes()),
    };
    cache.keep(key, page);
    Response::from_parts(parts, Body::from(body))
}

/// A 200 HTML page that sets no cookie.
fn may_keep(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"))
}

fn answer(page: &KeptPage, nonce: &str) -> Response {
    let mut response = Response::new(Body::from(joined(&page.pieces, nonce.as_bytes())));
    *response.headers_mut() = page.headers.clone();
    response
}

/// `body` in pieces, cut where `nonce` stood.
fn cut_at(body: &Bytes, nonce: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    if !nonce.is_empty() {
        let mut at = 0;
        while let Some(found) = body[at..].windows(nonce.len()).position(|window| window == nonce) {
            let end = at + found;
            pieces.push(body.slice(start..end));
            at = end + nonce.len();
            start = at;
        }
    }
    pieces.push(body.slice(start..));
    pieces
}

/// The pieces joined again with `nonce` between each two.
fn joined(pieces: &[Bytes], nonce: &[u8]) -> Bytes {
    let length = pieces.iter().map(Bytes::len).sum::<usize>() + nonce.len() * pieces.len().saturating_sub(1);
    let mut body = Vec::with_capacity(length);
    for (index, piece) in pieces.iter().enumerate() {
        if index > 0 {
            body.extend_from_slice(nonce);
        }
        body.extend_from_slice(piece);
    }
    body.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, cookie: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(Body::empty()).unwrap_or_default()
    }

    fn page(generation: u64, rendered_at: Instant) -> KeptPage {
        KeptPage { rendered_at, generation, headers: HeaderMap::new(), pieces: vec![Bytes::from_static(b"page")] }
    }

    #[test]
    fn a_page_is_sent_again_with_the_new_nonce_wherever_the_old_one_stood() {
        let body = Bytes::from_static(b"<script nonce=\"OLD\">a</script><p>OLD text</p><script nonce=\"OLD\">");
        let pieces = cut_at(&body, b"OLD");
        assert_eq!(pieces.len(), 4);
        assert_eq!(
            joined(&pieces, b"NEW"),
            Bytes::from_static(b"<script nonce=\"NEW\">a</script><p>NEW text</p><script nonce=\"NEW\">")
        );
        assert_eq!(joined(&cut_at(&Bytes::from_static(b"no scripts"), b"OLD"), b"NEW"), "no scripts");
    }

    #[test]
    fn only_public_pages_asked_for_without_a_session_are_kept() {
        assert!(page_key(&request("/", None)).is_some());
        assert!(page_key(&request("/faq?x=1", Some("awn_lang=en"))).is_some());
        assert!(page_key(&request("/requests", None)).is_none());
        assert!(page_key(&request("/staff", None)).is_none());
        assert!(page_key(&request("/", Some(&format!("awn_lang=en; {SESSION_COOKIE}=token")))).is_none());
        assert!(page_key(&request("/", Some(&format!("{SECURE_SESSION_COOKIE}=token")))).is_none());
        let long = format!("awn_lang={}", "x".repeat(MAX_KEY_BYTES));
        assert!(page_key(&request("/", Some(&long))).is_none());
        // Each language (and any other cookie) has a page of its own.
        assert_ne!(page_key(&request("/", Some("awn_lang=en"))), page_key(&request("/", Some("awn_lang=ar"))));
    }

    #[test]
    fn a_page_is_kept_for_a_moment_and_forgotten_after_a_change() {
        let cache = PublicPageCache::default();
        let key = PageKey { path_and_query: "/".into(), cookies: "".into() };
        let now = Instant::now();
        cache.keep(key.clone(), page(cache.generation(), now));
        assert!(cache.find(&key, now).is_some());
        assert!(cache.find(&key, now + PublicPageCache::KEPT_FOR).is_none());
        cache.forget_all();
        assert!(cache.find(&key, now).is_none());
        // A page rendered before the change is not kept after it.
        cache.keep(key.clone(), page(0, now));
        assert!(cache.find(&key, now).is_none());
    }

    #[test]
    fn past_the_limit_pages_are_rendered_and_not_kept() {
        let cache = PublicPageCache::default();
        let now = Instant::now();
        for index in 0..MAX_PAGES + 10 {
            let key = PageKey { path_and_query: format!("/?{index}").into(), cookies: "".into() };
            cache.keep(key, page(0, now));
        }
        assert_eq!(cache.pages.read().map(|pages| pages.len()).unwrap_or_default(), MAX_PAGES);
    }
}
