//! Language and digit preferences: a link sets the cookie here and returns to
//! the page it came from (no script needed).

use app::preferences::{
    DIGITS_COOKIE, LANGUAGE_COOKIE, PREFERENCE_COOKIE_MAX_AGE, choice_unavailable_message, request_cookie,
};
use awn_domain::{digits::DigitStyle, locale::Language, return_path::return_path_or_home};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use crate::state::ServerState;

#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    next: Option<String>,
}

fn set_cookie_and_return(state: &ServerState, name: &str, value: &str, next: Option<&str>) -> Response {
    let secure = if state.behind_tls { "; Secure" } else { "" };
    let cookie = format!("{name}={value}; Path=/; Max-Age={PREFERENCE_COOKIE_MAX_AGE}; SameSite=Lax{secure}");
    let mut response = Redirect::to(return_path_or_home(next)).into_response();
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
