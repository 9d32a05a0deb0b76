//! /dev/scheduler/run: runs what is pending about one request now, as the
//! scheduler will when its moment comes (a reminder, or the lapse of a request
//! whose missing information never came). Registered only in development mode,
//! for people trying Awn out and for the browser journeys, which cannot wait
//! days; it touches no other item.

use app::application::deadlines::{self, RunSummary};
use awn_storage::clocks::{Moment, Subject};
use axum::{
    Form, Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::state::ServerState;

#[derive(Debug, Deserialize)]
pub struct PendingRun {
    request: i64,
    /// "reminder" or "lapse".
    moment: String,
}

pub async fn dev_run(State(state): State<ServerState>, Form(run): Form<PendingRun>) -> Response {
    let moment = match run.moment.as_str() {
        "reminder" => Moment::Reminder,
        "lapse" => Moment::Escalation,
        _ => return (StatusCode::BAD_REQUEST, "moment: reminder or lapse").into_response(),
    };
    match deadlines::run_pending_for(&state.app.database, Subject::request(run.request), moment).await {
        Ok(RunSummary { staff_reminders, escalations, beneficiary_reminders, lapses, .. }) => Json(serde_json::json!({
            "staff_reminders": staff_reminders,
            "escalations": escalations,
            "beneficiary_reminders": beneficiary_reminders,
            "lapses": lapses,
        }))
        .into_response(),
        Err(error) => {
            tracing::error!(%error, "dev scheduler run");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
