//! Language and digit preferences without JavaScript: a link sets the cookie here
//! and returns to the page it came from. (Hydrated pages switch in place instead.)

use app::preferences::{
    DIGITS_COOKIE, LANGUAGE_COOKIE, PREFERENCE_COOKIE_MAX_AGE, choice_unavailable_message, request_cookie,
};
use awn_domain::{digits::DigitStyle, locale::Language};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::startup::ServerState;

#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    next: Option<String>,
}

/// Only a path on this site: never another host (no open redirect).
fn safe_return_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/",
    }
}

fn set_cookie_and_return(state: &ServerState, name: &str, value: &str, next: Option<&str>) -> Response {
    let secure = if state.behind_tls { "; Secure" } else { "" };
    let cookie = format!("{name}={value}; Path=/; Max-Age={PREFERENCE_COOKIE_MAX_AGE}; SameSite=Lax{secure}");
    let mut response = Redirect::to(safe_return_path(next)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// "This choice is not available", in the visitor's language.
fn bad_choice(state: &ServerState, headers: &HeaderMap) -> Response {
    let language = request_cookie(headers, LANGUAGE_COOKIE)
        .and_then(|tag| Language::from_tag(&tag))
        .unwrap_or(state.app.settings.default_language);
    let text = choice_unavailable_message(language);
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

pub async fn set_language(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Path(tag): Path<String>,
    Query(query): Query<ReturnTo>,
) -> Response {
    match Language::from_tag(&tag) {
        Some(language) => set_cookie_and_return(&state, LANGUAGE_COOKIE, language.tag(), query.next.as_deref()),
        None => bad_choice(&state, &headers),
    }
}

pub async fn set_digits(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(query): Query<ReturnTo>,
) -> Response {
    let style = match code.as_str() {
        "latn" => DigitStyle::Western,
        "arab" => DigitStyle::ArabicIndic,
        _ => return bad_choice(&state, &headers),
    };
    set_cookie_and_return(&state, DIGITS_COOKIE, style.as_code(), query.next.as_deref())
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_return_path(Some("/privacy?x=1")), "/privacy?x=1");
        assert_eq!(safe_return_path(Some("//evil.example")), "/");
        assert_eq!(safe_return_path(Some("https://evil.example")), "/");
        assert_eq!(safe_return_path(Some("/\\evil.example")), "/");
        assert_eq!(safe_return_path(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(safe_return_path(None), "/");
    }
}
