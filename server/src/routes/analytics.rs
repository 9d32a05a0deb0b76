//! The site's statistics (B10): a page view is counted, by day and page, only
//! when the visitor's consent cookie allows analytics. Nothing identifies the
//! visitor: no id, no address, no agent; ids in paths are folded into `:id`.
//! Only the site's own pages are counted, and only so many writes at once.

use awn_domain::{
    calendar::DualDate,
    consent::{VISITOR_CONSENT_COOKIE, parse_cookie},
};
use std::sync::Arc;

use awn_storage::Database;
use axum::{
    extract::{Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use tokio::sync::Semaphore;

/// A path with the secrets some links carry (a survey's single-use token)
/// replaced by `:token`: what may be written to logs and statistics.
pub fn without_secrets(path: &str) -> String {
    let mut previous = "";
    let masked: Vec<&str> = path
        .split('/')
        .map(|segment| {
            let secret = matches!(previous, "survey" | "survey-answers") && !segment.is_empty() && segment != "thanks";
            previous = segment;
            if secret { ":token" } else { segment }
        })
        .collect();
    masked.join("/")
}

/// The site's pages, as route patterns ("/requests/{id}"): only their views
/// are counted, so made-up paths cannot grow the statistics table without end.
#[derive(Clone)]
pub struct PageViews {
    pub database: Database,
    patterns: Arc<Vec<String>>,
    /// Writes in flight at once; past it a view goes uncounted rather than
    /// piling up tasks and connections under a flood.
    writes: Arc<Semaphore>,
}

/// Page-view writes in flight at most.
const MAX_PENDING_WRITES: usize = 16;

impl PageViews {
    pub fn new(database: Database, patterns: impl IntoIterator<Item = String>) -> Self {
        PageViews {
            database,
            patterns: Arc::new(patterns.into_iter().collect()),
            writes: Arc::new(Semaphore::new(MAX_PENDING_WRITES)),
        }
    }

    /// Resolves once every view counted so far is written (or failed): all the
    /// write permits are free. For tests that check what was or was not counted.
    pub async fn settled(&self) {
        let all = u32::try_from(MAX_PENDING_WRITES).unwrap_or(u32::MAX);
        // Only closed if dropped, which a clone in hand prevents.
        let _ = self.writes.acquire_many(all).await;
    }
}

/// The page a path is a view of, with what varies (ids, tokens, versions)
/// named, never its value: "/requests/42" → "/requests/:id",
/// "/survey/Qx7…" → "/survey/:token". `None` for a path no page has.
pub fn counted_path(path: &str, patterns: &[String]) -> Option<String> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(usize, String)> = None;
    for pattern in patterns {
        let parts: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
        if parts.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let mut counted = Vec::with_capacity(parts.len());
        let fits = parts.iter().zip(&segments).all(|(part, segment)| {
            let param = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')).or_else(|| part.strip_prefix(':'));
            match param {
                Some(name) if !name.starts_with('*') && !segment.is_empty() => {
                    counted.push(format!(":{name}"));
                    true
                }
                Some(_) => false,
                None if part == segment => {
                    literal += 1;
                    counted.push((*part).to_owned());
                    true
                }
                None => false,
            }
        });
        // "/survey/thanks" is its own page, not a survey token.
        if fits && best.as_ref().is_none_or(|(most, _)| literal > *most) {
            let joined = counted.join("/");
            best = Some((literal, if joined.is_empty() { "/".to_owned() } else { joined }));
        }
    }
    best.map(|(_, path)| path)
}

pub async fn count_consented_page_views(State(views): State<PageViews>, request: Request, next: Next) -> Response {
    let consented = request.method() == Method::GET
        && app::preferences::request_cookie(request.headers(), VISITOR_CONSENT_COOKIE)
            .and_then(|value| parse_cookie(&value))
            .is_some_and(|(_, choice)| choice.analytics);
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let is_page = response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
    // Staff pages are work, not visits to the website.
    if consented
        && is_page
        && !path.starts_with("/staff")
        && let Some(path) = counted_path(&path, &views.patterns)
        && let Ok(permit) = views.writes.clone().try_acquire_owned()
    {
        let day = DualDate::from_unix_seconds(awn_storage::now_unix_seconds()).gregorian;
        let day = format!("{:04}-{:02}-{:02}", day.year, day.month, day.day);
        let database = views.database.clone();
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(error) = awn_storage::consent::count_page_view(&database, &day, &path).await {
                tracing::warn!(%error, "page view not counted");
            }
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::counted_path;

    fn patterns() -> Vec<String> {
        [
            "/",
            "/faq",
            "/requests",
            "/requests/new",
            "/requests/{id}",
            "/survey/thanks",
            "/survey/{token}",
            "/privacy/{version}",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    #[test]
    fn views_are_counted_by_page_never_by_id_or_token() {
        let patterns = patterns();
        let counted = |path| counted_path(path, &patterns);
        assert_eq!(counted("/requests/42").as_deref(), Some("/requests/:id"));
        assert_eq!(counted("/requests/new").as_deref(), Some("/requests/new"));
        assert_eq!(counted("/").as_deref(), Some("/"));
        assert_eq!(counted("/faq").as_deref(), Some("/faq"));
        assert_eq!(counted("/faq/").as_deref(), Some("/faq"));
        assert_eq!(counted("/survey/Qx7_-abc").as_deref(), Some("/survey/:token"));
        assert_eq!(counted("/survey/thanks").as_deref(), Some("/survey/thanks"));
        assert_eq!(counted("/privacy/2026-01").as_deref(), Some("/privacy/:version"));
        assert_eq!(super::without_secrets("/survey-answers/Qx7_-abc"), "/survey-answers/:token");
        assert_eq!(super::without_secrets("/requests/42"), "/requests/42");
    }

    #[test]
    fn made_up_paths_are_not_counted() {
        let patterns = patterns();
        assert_eq!(counted_path("/x7f3a9", &patterns), None);
        assert_eq!(counted_path("/requests/42/more", &patterns), None);
        assert_eq!(counted_path("/faq/anything", &patterns), None);
    }
}
