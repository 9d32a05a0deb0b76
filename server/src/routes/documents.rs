//! Document uploads and downloads for beneficiaries: plain multipart forms that
//! answer with a redirect, so they work the same with or without JavaScript.
//! The type is judged by the file's content; the size is capped while reading.

use app::flash::FormFlash;
use awn_domain::documents::{MAX_DOCUMENTS_PER_REQUEST, display_file_name, sniff};
use awn_storage::{
    documents::{self, NewDocument},
    now_unix_seconds, requests, secrets,
};
use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::support::{Upload, UploadProblem, attachment, read_upload, set_flash, signed_in_beneficiary};
use crate::state::ServerState;

/// Stores the bytes and records the document.
async fn store(
    state: &ServerState,
    beneficiary_id: i64,
    request_id: Option<i64>,
    upload: Upload,
) -> Result<(), UploadProblem> {
    let kind = sniff(&upload.bytes).ok_or(UploadProblem::WrongType)?;
    let key = secrets::new_token();
    state.app.documents.put(&key, &upload.bytes).await.map_err(|error| {
        tracing::error!(%error, "document store");
        UploadProblem::Failed
    })?;
    let file_name = display_file_name(&upload.file_name, kind);
    let recorded = documents::record(
        &state.app.database,
        NewDocument {
            beneficiary_id,
            request_id,
            document_request_id: upload.asked(),
            storage_key: &key,
            file_name: &file_name,
            content_type: kind.mime(),
            size_bytes: upload.bytes.len() as i64,
            now: now_unix_seconds(),
        },
    )
    .await;
    if let Err(error) = recorded {
        tracing::error!(%error, "recording a document");
        let _ = state.app.documents.delete(&key).await;
        return Err(UploadProblem::Failed);
    }
    Ok(())
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
        let count =
            documents::of_draft(&state.app.database, beneficiary_id).await.map_err(|_| UploadProblem::Failed)?.len();
        if count >= MAX_DOCUMENTS_PER_REQUEST {
            return Err(UploadProblem::TooMany);
        }
        let mut upload = read_upload(form, state.app.settings.max_upload_bytes).await?;
        // A draft answers no request for documents.
        upload.fields.retain(|(name, _)| name != "asked");
        store(&state, beneficiary_id, None, upload).await
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
    match requests::belongs_to(&state.app.database, request_id, beneficiary_id).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "request ownership");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    let outcome = async {
        let count =
            documents::of_request(&state.app.database, request_id).await.map_err(|_| UploadProblem::Failed)?.len();
        // Documents asked for by staff are always accepted; extra ones are capped.
        let mut upload = read_upload(form, state.app.settings.max_upload_bytes).await?;
        // An `asked` id counts only if it is this request's and still waiting:
        // any other (another request's, or one already answered) would lift the cap.
        let answers_asked = match upload.asked() {
            Some(asked) => documents::is_waiting_document_request(&state.app.database, request_id, asked)
                .await
                .map_err(|_| UploadProblem::Failed)?,
            None => false,
        };
        if !answers_asked {
            upload.fields.retain(|(name, _)| name != "asked");
        }
        if !answers_asked && count >= MAX_DOCUMENTS_PER_REQUEST {
            return Err(UploadProblem::TooMany);
        }
        store(&state, beneficiary_id, Some(request_id), upload).await
    }
    .await;
    back_with(&state, &format!("/requests/{request_id}"), "tracking", outcome.err())
}

/// GET /documents/{id}: the beneficiary's own document, as a download.
pub async fn download(State(state): State<ServerState>, Path(document_id): Path<i64>, headers: HeaderMap) -> Response {
    let Some(beneficiary_id) = signed_in_beneficiary(&state, &headers).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let document = match documents::owned_by(&state.app.database, document_id, beneficiary_id).await {
        Ok(Some(document)) => document,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "document lookup");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let bytes = match state.app.documents.get(&document.storage_key).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "document store read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    attachment(bytes, &document.info.content_type, &document.info.file_name)
}
