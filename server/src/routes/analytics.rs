//! The site's statistics (B10): a page view is counted, by day and page, only
//! when the visitor's consent cookie allows analytics. Nothing identifies the
//! visitor: no id, no address, no agent; ids in paths are folded into `:id`.

use awn_domain::{
    calendar::DualDate,
    consent::{VISITOR_CONSENT_COOKIE, parse_cookie},
};
use awn_storage::Database;
use axum::{
    extract::{Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::Response,
};

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

/// "/requests/42" → "/requests/:id": the page, never whose it is.
pub fn counted_path(path: &str) -> String {
    let path = without_secrets(path);
    let folded: Vec<&str> =
        path.split('/').map(|segment| if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) { ":id" } else { segment }).collect();
    let joined = folded.join("/");
    if joined.is_empty() { "/".to_owned() } else { joined.chars().take(200).collect() }
}

pub async fn count_consented_page_views(State(database): State<Database>, request: Request, next: Next) -> Response {
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
    if consented && is_page && !path.starts_with("/staff") {
        let day = DualDate::from_unix_seconds(awn_storage::now_unix_seconds()).gregorian;
        let day = format!("{:04}-{:02}-{:02}", day.year, day.month, day.day);
        let path = counted_path(&path);
        tokio::spawn(async move {
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

    #[test]
    fn ids_in_paths_are_folded() {
        assert_eq!(counted_path("/requests/42"), "/requests/:id");
        assert_eq!(counted_path("/"), "/");
        assert_eq!(counted_path("/faq"), "/faq");
        assert_eq!(counted_path("/survey/Qx7_-abc"), "/survey/:token");
        assert_eq!(counted_path("/survey/thanks"), "/survey/thanks");
        assert_eq!(super::without_secrets("/survey-answers/Qx7_-abc"), "/survey-answers/:token");
        assert_eq!(super::without_secrets("/requests/42"), "/requests/42");
    }
}
