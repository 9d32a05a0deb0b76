//! Gives typed server-function errors their proper HTTP status (404, 401, 503, 400)
//! instead of the blanket 500 of the server-function runtime. The JSON body is
//! kept, so the browser client still decodes the same `AppError`.

use app::error::AppError;
use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Server functions are mounted under this prefix.
const SERVER_FUNCTION_PREFIX: &str = "/api/";
/// A typed error body is a few dozen bytes; anything bigger is left alone.
const MAX_ERROR_BODY_BYTES: usize = 16 * 1024;

pub async fn with_typed_status(request: Request, next: Next) -> Response {
    let is_server_function = request.uri().path().starts_with(SERVER_FUNCTION_PREFIX);
    let response = next.run(request).await;
    if !is_server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.http_status();
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    }
    Response::from_parts(parts, Body::from(bytes))
}
