//! A beneficiary's copy of all the data held about them (the right of access):
//! `/my-data/export.json` for machines, `/my-data/export.html` to read and keep.

use app::application::my_data::{MyDataExport, export};
use app::html::escape;
use awn_domain::locale::Language;
use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use super::support::{attachment, signed_in_beneficiary};
use crate::state::ServerState;

async fn my_export(state: &ServerState, headers: &HeaderMap) -> Result<MyDataExport, Response> {
    let Some(beneficiary_id) = signed_in_beneficiary(state, headers).await else {
        return Err(Redirect::to("/sign-in").into_response());
    };
    let language = app::preferences::request_cookie(headers, app::preferences::LANGUAGE_COOKIE)
        .and_then(|tag| Language::from_tag(&tag))
        .unwrap_or(Language::Arabic);
    export(&state.app.database, beneficiary_id, language).await.map_err(|error| {
        tracing::error!(%error, "exporting a beneficiary's data");
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    })
}

/// GET /my-data/export.json
pub async fn export_json(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    match my_export(&state, &headers).await {
        Ok(data) => match serde_json::to_vec_pretty(&data) {
            Ok(bytes) => attachment(bytes, "application/json", "my-data.json"),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(refusal) => refusal,
    }
}

/// GET /my-data/export.html: a plain page that reads well printed or saved.
pub async fn export_html(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    let data = match my_export(&state, &headers).await {
        Ok(data) => data,
        Err(refusal) => return refusal,
    };
    let arabic = data.language == Language::Arabic;
    let (lang, dir, title) = if arabic {
        ("ar", "rtl", "بياناتي لدى الجمعية")
    } else {
        ("en", "ltr", "My data held by the association")
    };
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body><h1>{title}</h1>"
    );
    // Every field by its JSON name: the same content as the JSON download.
    let value = match serde_json::to_value(&data) {
        Ok(value) => value,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    fn render(value: &serde_json::Value, html: &mut String) {
        match value {
            serde_json::Value::Object(map) => {
                html.push_str("<dl>");
                for (key, item) in map {
                    html.push_str(&format!("<dt><strong>{}</strong></dt><dd>", escape(key)));
                    render(item, html);
                    html.push_str("</dd>");
                }
                html.push_str("</dl>");
            }
            serde_json::Value::Array(items) if items.is_empty() => html.push('—'),
            serde_json::Value::Array(items) => {
                html.push_str("<ol>");
                for item in items {
                    html.push_str("<li>");
                    render(item, html);
                    html.push_str("</li>");
                }
                html.push_str("</ol>");
            }
            serde_json::Value::Null => html.push('—'),
            serde_json::Value::String(text) => html.push_str(&format!("<bdi>{}</bdi>", escape(text))),
            other => html.push_str(&escape(&other.to_string())),
        }
    }
    render(&value, &mut html);
    html.push_str("</body></html>");
    let mut response = html.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
