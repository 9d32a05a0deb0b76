//! Document uploads and downloads for beneficiaries: plain multipart forms that
//! answer with a redirect, so they work the same with or without JavaScript.
//! The type is judged by the file's content; the size is capped while reading.

use app::{
    flash::{FLASH_COOKIE, FormFlash},
    preferences::request_cookie,
    session::session_cookie_name,
};
use awn_domain::documents::{MAX_DOCUMENTS_PER_REQUEST, display_file_name, sniff};
use awn_storage::{
    accounts::{self, BENEFICIARY},
    documents::{self, NewDocument},
    now_unix_seconds, requests, secrets,
};
use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use crate::startup::ServerState;

/// Why an upload was refused; the code is what the page shows a message for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UploadProblem {
    TooLarge,
    WrongType,
    Empty,
    TooMany,
    Failed,
}

impl UploadProblem {
    fn code(self) -> &'static str {
        match self {
            UploadProblem::TooLarge => "too_large",
            UploadProblem::WrongType => "wrong_type",
            UploadProblem::Empty => "empty",
            UploadProblem::TooMany => "too_many",
            UploadProblem::Failed => "failed",
        }
    }

    /// The field and the problem a staff upload form shows for this refusal.
    pub(crate) fn field_and_problem(self) -> (&'static str, app::forms::Problem) {
        use app::forms::Problem;
        match self {
            UploadProblem::TooLarge => ("file", Problem::FileTooLarge),
            UploadProblem::Empty => ("file", Problem::FileMissing),
            UploadProblem::WrongType => ("file", Problem::FileWrongType),
            UploadProblem::TooMany | UploadProblem::Failed => ("", Problem::Invalid),
        }
    }
}

pub(crate) struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The form's other fields, as typed.
    pub fields: Vec<(String, String)>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The id of the document staff asked for, if the upload answers one.
    fn asked(&self) -> Option<i64> {
        self.field("asked").and_then(|t| t.trim().parse().ok())
    }
}

pub(crate) async fn signed_in_beneficiary(state: &ServerState, headers: &HeaderMap) -> Option<i64> {
    let token = request_cookie(headers, session_cookie_name(state.behind_tls))?;
    match accounts::session_owner(&state.app.database, &token, now_unix_seconds()).await {
        Ok(Some(owner)) if owner.account_kind == BENEFICIARY => Some(owner.account_id),
        Ok(_) => None,
        Err(error) => {
            tracing::error!(%error, "session lookup");
            None
        }
    }
}

/// Reads the form: the file (at most `limit` bytes) and its other fields.
pub(crate) async fn read_upload(mut form: Multipart, limit: u64) -> Result<Upload, UploadProblem> {
    let mut upload = Upload { file_name: String::new(), bytes: Vec::new(), fields: Vec::new() };
    let mut saw_file = false;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // Most often the body limit: the file is far too large.
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(UploadProblem::TooLarge),
            Err(_) => return Err(UploadProblem::Failed),
        };
        match field.name().map(str::to_owned).as_deref() {
            Some("file") => {
                // One document per upload: a second part would be glued onto the first.
                if saw_file {
                    return Err(UploadProblem::Failed);
                }
                saw_file = true;
                upload.file_name = field.file_name().unwrap_or_default().to_owned();
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if upload.bytes.len() as u64 + chunk.len() as u64 > limit {
                                return Err(UploadProblem::TooLarge);
                            }
                            upload.bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return Err(UploadProblem::TooLarge);
                        }
                        Err(_) => return Err(UploadProblem::Failed),
                    }
                }
            }
            Some(name) => {
                // Small text fields only; anything else is not from our forms.
                let text = field.text().await.map_err(|_| UploadProblem::Failed)?;
                if text.len() > 16 * 1024 || upload.fields.len() >= 16 {
                    return Err(UploadProblem::Failed);
                }
                upload.fields.push((name.to_owned(), text));
            }
            None => {}
        }
    }
    if !saw_file || upload.bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    Ok(upload)
}

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

/// A `Set-Cookie` for the flash, on `response`.
pub(crate) fn set_flash(state: &ServerState, response: &mut Response, flash: &FormFlash) {
    let secure = if state.behind_tls { "; Secure" } else { "" };
    let cookie = format!("{FLASH_COOKIE}={}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax{secure}", flash.encode());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// A download of stored bytes under their file name, never cached.
pub(crate) fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let encoded_name: String = form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    let disposition =
        format!("attachment; filename=\"document\"; filename*=UTF-8''{}", encoded_name.replace('+', "%20"));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
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
