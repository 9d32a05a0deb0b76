//! A volunteer account given through the plain (no-JavaScript) form post: the
//! server function would answer with a redirect, and the password would have
//! to ride in the flash cookie to reach the next page. A secret never goes in
//! a cookie, so a successful plain post is answered here, with a small page
//! that shows the password once (`Cache-Control: no-store`, no redirect). Any
//! other outcome (not signed in, not allowed, refused) goes on to the server
//! function, which answers as for every other form; a refused try changes nothing.

use app::{
    application::{
        access::{can, require},
        volunteers,
    },
    html::escape,
    preferences::{LANGUAGE_COOKIE, request_cookie},
    session::session_cookie_name,
    staff::volunteers::{GIVE_ACCOUNT_PATH, given_account_texts},
};
use awn_domain::locale::Language;
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use crate::{state::ServerState, static_files::Stylesheet};

/// The form holds one number; anything longer is not our form.
const MAX_FORM_BYTES: usize = 4 * 1024;

fn is_plain_post(request: &Request) -> bool {
    request.method() == Method::POST
        && request.uri().path() == GIVE_ACCOUNT_PATH
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// Middleware: answers a successful plain post of the account form itself.
pub async fn plain_account_post(State(state): State<ServerState>, request: Request, next: Next) -> Response {
    if !is_plain_post(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let volunteer = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "volunteer")
        .and_then(|(_, value)| value.trim().parse::<i64>().ok());
    if let Some(volunteer) = volunteer
        && let Some(page) = give(&state, &parts.headers, &Stylesheet::of(&parts.extensions), volunteer).await
    {
        return page;
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The page with the password, when the account was given; else nothing
/// happened and the server function answers.
async fn give(state: &ServerState, headers: &HeaderMap, stylesheet: &str, volunteer: i64) -> Option<Response> {
    let token = request_cookie(headers, session_cookie_name(state.behind_tls));
    let staff = require::<can::ManageVolunteers>(&state.app.database, token.as_deref()).await.ok()?;
    match volunteers::give_account(&state.app.database, &staff, volunteer).await {
        Ok(Ok(given)) => {
            let language = request_cookie(headers, LANGUAGE_COOKIE)
                .as_deref()
                .and_then(Language::from_tag)
                .unwrap_or(state.app.settings.default_language);
            Some(page(language, stylesheet, &given.username, &given.password))
        }
        Ok(Err(_)) => None,
        Err(error) => {
            tracing::error!(%error, "giving a volunteer account");
            None
        }
    }
}

fn page(language: Language, stylesheet: &str, username: &str, password: &str) -> Response {
    let texts = given_account_texts(language);
    let (lang, dir) = match language {
        Language::Arabic => ("ar", "rtl"),
        Language::English => ("en", "ltr"),
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main class=\"page\">\
         <div class=\"card card--centered\"><h1>{title}</h1>\
         <div class=\"notice notice--success\" role=\"status\" id=\"volunteer-account-given\"><p>{given}</p>\
         <p>{username_label} <bdi dir=\"ltr\"><code>{username}</code></bdi></p>\
         <p>{password_label} <bdi dir=\"ltr\"><code>{password}</code></bdi></p>\
         <p class=\"field__hint\">{once}</p></div>\
         <p><a class=\"button button--primary\" href=\"/staff/volunteers\">{back}</a></p></div></main></body></html>",
        title = escape(&texts.title),
        given = escape(&texts.given),
        username_label = escape(&texts.username),
        username = escape(username),
        password_label = escape(&texts.password),
        password = escape(password),
        once = escape(&texts.once),
        back = escape(&texts.back),
        stylesheet = escape(stylesheet),
    );
    let mut response = (StatusCode::OK, Html(html)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
