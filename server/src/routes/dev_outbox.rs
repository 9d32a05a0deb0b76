//! /dev/outbox: the messages Awn would have sent, for people trying it out and for
//! the browser tests. Registered only in development mode.

use app::html::escape;
use awn_storage::outbox;
use axum::{
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

use crate::state::ServerState;

pub async fn dev_outbox(State(state): State<ServerState>) -> Response {
    let messages = match outbox::recent(&state.app.database, 100).await {
        Ok(messages) => messages,
        Err(error) => {
            tracing::error!(%error, "dev outbox");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let rows: String = messages
        .iter()
        .map(|m| {
            format!(
                "<tr data-id=\"{}\" data-channel=\"{}\" data-recipient=\"{}\" data-purpose=\"{}\">\
                 <td>{}</td><td>{}</td><td dir=\"ltr\">{}</td><td>{}</td><td>{}</td>\
                 <td class=\"body\">{}</td></tr>",
                m.id,
                escape(&m.channel),
                escape(&m.recipient),
                escape(&m.purpose),
                m.id,
                escape(&m.channel),
                escape(&m.recipient),
                escape(&m.purpose),
                escape(&m.status),
                escape(&m.body),
            )
        })
        .collect();
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Outbox (development)</title></head><body>\
         <h1>Outbox (development only)</h1>\
         <table><thead><tr><th>#</th><th>Channel</th><th>To</th><th>Purpose</th><th>Status</th><th>Message</th></tr></thead>\
         <tbody>{rows}</tbody></table></body></html>"
    ))
    .into_response()
}
