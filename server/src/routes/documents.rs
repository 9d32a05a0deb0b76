//! Document uploads and downloads for beneficiaries: plain multipart forms that
//! answer with a redirect, so they work the same with or without JavaScript.
//! The size is capped while reading; `application::documents` does the rest.

use app::{
    application::documents::{self, DocumentRefusal, SentFile},
    error::AppError,
    flash::FormFlash,
};
use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::support::{Upload, UploadProblem, attachment, read_upload, set_flash, signed_in_beneficiary};
use crate::state::ServerState;

impl From<DocumentRefusal> for UploadProblem {
    fn from(refusal: DocumentRefusal) -> Self {
        match refusal {
            DocumentRefusal::TooMany => UploadProblem::TooMany,
            DocumentRefusal::WrongType => UploadProblem::WrongType,
            DocumentRefusal::Failed => UploadProblem::Failed,
        }
    }
}

fn sent(upload: &Upload) -> SentFile<'_> {
    SentFile { file_name: &upload.file_name, bytes: &upload.bytes, asked: upload.asked() }
}

/// A redirect back to `path`, carrying the problem for the page to show.
fn back_with(state: &ServerState, path: &str, form: &str, problem: Option<UploadProblem>) -> Response {
    let mut response = Redirect::to(path).into_response();
    if let Some(problem) = problem {
        let flash = FormFlash {
            form: form.into(),
            values: vec![("kind".into(), "upload".into())],
            problem: problem.code().into(),
            number: 0,
        };
        set_flash(state, &mut response, &flash);
    }
    response
}

/// POST /uploads/draft: a document for the request being written.
pub async fn upload_to_draft(State(state): State<ServerState>, headers: HeaderMap, form: Multipart) -> Response {
    let Some(beneficiary_id) = signed_in_beneficiary(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    let outcome = async {
        // Refused before the file is read: a full draft takes no more.
        if !documents::draft_has_room(&state.app, beneficiary_id).await? {
            return Err(UploadProblem::TooMany);
        }
        let upload = read_upload(form, state.app.settings.max_upload_bytes).await?;
        Ok(documents::add_to_draft(&state.app, beneficiary_id, sent(&upload)).await?)
    }
    .await;
    back_with(&state, "/requests/new", "wizard", outcome.err())
}

/// POST /uploads/requests/{id}: a document for a submitted request, possibly one
/// staff asked for.
pub async fn upload_to_request(
    State(state): State<ServerState>,
    Path(request_id): Path<i64>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let Some(beneficiary_id) = signed_in_beneficiary(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    match documents::own_request(&state.app, beneficiary_id, request_id).await {
        Ok(()) => {}
        Err(AppError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "request ownership");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    let outcome = async {
        let upload = read_upload(form, state.app.settings.max_upload_bytes).await?;
        Ok(documents::add_to_request(&state.app, beneficiary_id, request_id, sent(&upload)).await?)
    }
    .await;
    back_with(&state, &format!("/requests/{request_id}"), "tracking", outcome.err())
}

/// GET /documents/{id}: the beneficiary's own document, as a download.
pub async fn download(State(state): State<ServerState>, Path(document_id): Path<i64>, headers: HeaderMap) -> Response {
    let Some(beneficiary_id) = signed_in_beneficiary(&state, &headers).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match documents::own_document(&state.app, beneficiary_id, document_id).await {
        Ok((document, bytes)) => attachment(bytes, &document.info.content_type, &document.info.file_name),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "document download");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
