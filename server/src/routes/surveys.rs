//! Survey answers and evaluation links, as plain form posts (their fields are
//! each survey's own questions, so no fixed server-function signature fits),
//! and the satisfaction dashboard's CSV download.

use app::{
    application::{
        access::{can, require, staff_of_session},
        satisfaction::{DashboardQuery, dashboard_table},
        surveys::{self, Answered},
    },
    error::AppError,
    forms::{ANSWERS_FORM, FormProblem, Problem},
    preferences::request_cookie,
    session::session_cookie_name,
};
use awn_storage::{
    now_unix_seconds,
    surveys::{self as survey_storage, RequestEvaluation},
};
use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::support::{attachment, set_flash, signed_in_beneficiary};
use crate::state::ServerState;

/// The longest text kept in the flash: the cookie must stay under 4 KB.
const FLASH_TEXT_CHARS: usize = 150;

/// Back to the survey with its problem and what was chosen.
fn back_with(state: &ServerState, path: &str, field: &str, problem: Problem, fields: &[(String, String)]) -> Response {
    let mut refused = FormProblem::new(ANSWERS_FORM, field, problem);
    refused.values = fields
        .iter()
        .filter(|(name, _)| !name.starts_with('~'))
        .map(|(name, value)| (name.clone(), value.chars().take(FLASH_TEXT_CHARS).collect()))
        .collect();
    let mut response = Redirect::to(path).into_response();
    set_flash(state, &mut response, &refused.to_flash());
    response
}

/// POST /survey-answers/{token}: the answers to an invitation.
pub async fn answer(
    State(state): State<ServerState>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match surveys::answer_invitation(&state.app.database, &token, &fields).await {
        Ok(Answered::Recorded) => Redirect::to("/survey/thanks").into_response(),
        // Anything else names no invitation, and must not reach the Location header.
        Ok(Answered::NoSuchInvitation) => StatusCode::NOT_FOUND.into_response(),
        // Used, expired or unknown: the page says which.
        Ok(Answered::NotOpen) => Redirect::to(&format!("/survey/{token}")).into_response(),
        Ok(Answered::Refused(refused)) => {
            back_with(&state, &format!("/survey/{token}"), &refused.field, refused.problem, &fields)
        }
        Err(error) => {
            tracing::error!(%error, "survey response");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// POST /requests/{id}/evaluate: the beneficiary evaluates their own request
/// from its tracking page (C1).
pub async fn evaluate_request(
    State(state): State<ServerState>,
    Path(request_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let Some(beneficiary_id) = signed_in_beneficiary(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    let tracking = format!("/requests/{request_id}");
    match survey_storage::invitation_for_request(&state.app.database, beneficiary_id, request_id, now_unix_seconds())
        .await
    {
        Ok(RequestEvaluation::Open(invitation)) => {
            Redirect::to(&format!("/survey/{}", invitation.token)).into_response()
        }
        Ok(RequestEvaluation::AlreadyAnswered) => Redirect::to(&format!("{tracking}?evaluated=1")).into_response(),
        Ok(RequestEvaluation::NoSurvey | RequestEvaluation::NotServed) => Redirect::to(&tracking).into_response(),
        Err(error) => {
            tracing::error!(%error, "evaluation link");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// POST /staff/feedback/{survey}: a staff member's answers to an internal survey (A16).
pub async fn answer_internal(
    State(state): State<ServerState>,
    Path(survey_id): Path<i64>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let database = &state.app.database;
    let token = request_cookie(&headers, session_cookie_name(state.behind_tls));
    let staff = match staff_of_session(database, token.as_deref()).await {
        Ok(Some(staff)) => staff,
        Ok(None) => return Redirect::to("/staff/sign-in").into_response(),
        Err(error) => {
            tracing::error!(%error, "staff check");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let back = "/staff/feedback";
    match surveys::answer_internal(database, &staff, survey_id, &fields).await {
        Ok(Answered::Recorded) => Redirect::to("/staff/feedback?answered=1").into_response(),
        Ok(Answered::NoSuchInvitation | Answered::NotOpen) => Redirect::to(back).into_response(),
        Ok(Answered::Refused(refused)) => {
            // The page holds every open survey: a field is named within its survey.
            let field = format!("{survey_id}:{}", refused.field);
            back_with(&state, back, &field, refused.problem, &fields)
        }
        Err(error) => {
            tracing::error!(%error, "internal response");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// GET /staff/satisfaction.csv: the dashboard's figures (never a small group).
pub async fn satisfaction_csv(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(query): Query<DashboardQuery>,
) -> Response {
    let token = request_cookie(&headers, session_cookie_name(state.behind_tls));
    let staff = match require::<can::ExportReports>(&state.app.database, token.as_deref()).await {
        Ok(staff) => staff,
        Err(AppError::StaffSignInRequired) => return Redirect::to("/staff/sign-in").into_response(),
        Err(AppError::Forbidden | AppError::PolicyNotAccepted) => return StatusCode::FORBIDDEN.into_response(),
        Err(error) => {
            tracing::error!(%error, "staff check");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let language = request_cookie(&headers, app::preferences::LANGUAGE_COOKIE)
        .as_deref()
        .and_then(awn_domain::locale::Language::from_tag)
        .unwrap_or(state.app.settings.default_language);
    let rows = match dashboard_table(&state.app.database, &staff, &query, language).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "satisfaction table");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match super::csv_file::csv_bytes(&rows, true) {
        Ok(bytes) => attachment(bytes, "text/csv; charset=utf-8", "awn-satisfaction.csv"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
